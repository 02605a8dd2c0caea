#!/usr/bin/env bash
# Stops the dockerd that .ci/docker-up.sh started (by the PID it recorded); an engine it did not start is left alone.
set -u
pidfile="${CLASSIFIER_DOCKERD_PIDFILE:-/tmp/classifier-ci-dockerd.pid}"
[ -f "$pidfile" ] || { echo "docker-down: no dockerd started by docker-up; nothing to stop"; exit 0; }
pid=$(cat "$pidfile")
if kill -0 "$pid" 2>/dev/null && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = dockerd ]; then
  kill -TERM "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "docker-down: dockerd $pid still running after 30 s; sending SIGKILL" >&2
    kill -KILL "$pid"
  fi
  echo "docker-down: stopped dockerd $pid"
fi
rm -f "$pidfile"
