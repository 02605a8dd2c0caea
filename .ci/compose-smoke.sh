#!/usr/bin/env bash
# Brings the compose stack (classifier + Prometheus) up and asserts that Prometheus scrapes the classifier as "up".
# Needs a running Docker engine and the packaged jar: run after `mvn package` and `source .ci/docker-up.sh`
# (whose CLASSIFIER_BASE_IMAGE is used for both images). Always takes the stack down again, volumes included.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
export CLASSIFIER_BASE_IMAGE="${CLASSIFIER_BASE_IMAGE:-classifier-base-jre17:bookworm}"
export PROMETHEUS_BASE_IMAGE="${PROMETHEUS_BASE_IMAGE:-$CLASSIFIER_BASE_IMAGE}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export CLASSIFIER_HTTP_PORT="${CLASSIFIER_HTTP_PORT:-$(free_port)}"
export PROMETHEUS_PORT="${PROMETHEUS_PORT:-$(free_port)}"
project=classifier-smoke
compose() { docker-compose -p "$project" -f docker-compose.yml "$@"; }

ls target/*.jar >/dev/null 2>&1 || { echo "compose-smoke: no target/*.jar; run mvn -B package first" >&2; exit 1; }
cleanup() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "compose-smoke: FAILED; last service logs:" >&2
    compose logs --no-color --tail=40 >&2 || true
  fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
}
trap cleanup EXIT

compose config -q
# `up` returns once the classifier is healthy (Prometheus depends on service_healthy) and Prometheus has started.
compose build -q classifier prometheus
compose up -d classifier prometheus
echo "compose-smoke: stack up after $((SECONDS - start)) s (classifier :$CLASSIFIER_HTTP_PORT, prometheus :$PROMETHEUS_PORT)"

target_health() {
  curl -fsS "http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/targets" 2>/dev/null | python3 -c '
import json, sys
targets = json.load(sys.stdin)["data"]["activeTargets"]
print(" ".join(t["labels"]["job"] + "=" + t["health"] for t in targets) or "none")'
}
health=none
for _ in $(seq 1 60); do
  health=$(target_health || echo "unreachable")
  [ "$health" = "xception-classifier=up" ] && break
  sleep 2
done
if [ "$health" != "xception-classifier=up" ]; then
  echo "compose-smoke: Prometheus target state is '$health', expected xception-classifier=up" >&2
  exit 1
fi
# A scraped sample proves the metrics reached Prometheus, not only that the endpoint answered.
samples=$(curl -fsS "http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/query" --data-urlencode \
  'query=count({job="xception-classifier",__name__=~"classifier_.*"})' \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')
[ "$samples" -gt 0 ] || { echo "compose-smoke: Prometheus holds no classifier_* series of the service" >&2; exit 1; }
echo "compose-smoke: Prometheus target xception-classifier is up with $samples classifier_* series; passed in $((SECONDS - start)) s"
