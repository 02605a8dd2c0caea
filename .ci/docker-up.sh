# shellcheck shell=bash
# Brings up a Docker engine and the locally built JRE base image for the container tests.
# Sourced by .ci/run (`source .ci/docker-up.sh`) so that the exports below reach Maven; idempotent, so a
# developer can source it again. Undo with `.ci/docker-down.sh`, which stops only a dockerd started here.
# It runs inside the caller's shell, so it sets no shell options; it works with or without the caller's
# `set -euo pipefail`, and a failure returns non-zero (so such a caller stops) after saying what failed.

CLASSIFIER_BASE_IMAGE="${CLASSIFIER_BASE_IMAGE:-classifier-base-jre17:bookworm}"
CLASSIFIER_DOCKERD_PIDFILE="${CLASSIFIER_DOCKERD_PIDFILE:-/tmp/classifier-ci-dockerd.pid}"
CLASSIFIER_DOCKERD_LOG="${CLASSIFIER_DOCKERD_LOG:-/tmp/classifier-ci-dockerd.log}"

classifier_docker_up() {
  local start=$SECONDS
  # docker-compose is for .ci/compose-smoke.sh; installing it here keeps all Docker packages in one place.
  local packages=() p
  for p in docker.io debootstrap docker-compose; do
    dpkg -s "$p" >/dev/null 2>&1 || packages+=("$p")
  done
  if [ ${#packages[@]} -gt 0 ]; then
    echo "docker-up: installing ${packages[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null; } \
      || { echo "docker-up: apt-get install ${packages[*]} failed" >&2; return 1; }
  fi

  if docker info >/dev/null 2>&1; then
    echo "docker-up: a Docker engine is already running; using it"
  else
    echo "docker-up: starting dockerd (log: $CLASSIFIER_DOCKERD_LOG)"
    /usr/sbin/dockerd >"$CLASSIFIER_DOCKERD_LOG" 2>&1 &
    echo $! >"$CLASSIFIER_DOCKERD_PIDFILE"
    local i
    for i in $(seq 1 60); do
      docker info >/dev/null 2>&1 && break
      sleep 1
    done
    if ! docker info >/dev/null 2>&1; then
      echo "docker-up: dockerd did not answer within 60 s; last log lines:" >&2
      tail -n 20 "$CLASSIFIER_DOCKERD_LOG" >&2
      return 1
    fi
  fi

  if docker image inspect "$CLASSIFIER_BASE_IMAGE" >/dev/null 2>&1; then
    echo "docker-up: base image $CLASSIFIER_BASE_IMAGE already present"
  else
    classifier_build_base_image || return 1
  fi

  # Containers tests fail instead of skipping from here on: this shell has proved the engine works.
  export CLASSIFIER_CONTAINER_TESTS=required
  export CLASSIFIER_BASE_IMAGE
  # Ryuk would have to be pulled from a registry; the tests remove their own containers.
  export TESTCONTAINERS_RYUK_DISABLED=true
  # /.dockerenv exists on this machine, which makes Testcontainers probe for a gateway with a pulled image.
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
  echo "docker-up: ready in $((SECONDS - start)) s (base image $CLASSIFIER_BASE_IMAGE)"
}

# The Debian mirror this machine already uses, so the base image needs no other network access; none
# configured is an error: this script never picks a host of its own.
classifier_debian_mirror() {
  local mirror
  mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
    | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1 || true)
  if [ -z "$mirror" ]; then
    mirror=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '{print $2}' | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1 || true)
  fi
  if [ -z "$mirror" ]; then
    echo "docker-up: no Debian mirror in this machine's apt sources (/etc/apt/sources.list," \
      "/etc/apt/sources.list.d/*.list or *.sources, a URI ending in /debian); add the mirror this" \
      "machine may use there, then run again" >&2
    return 1
  fi
  echo "$mirror"
}

# Debian bookworm minbase + OpenJDK 17 headless JRE, imported as a single-layer image (no registry pull).
classifier_build_base_image() {
  local mirror root rc=0
  mirror=$(classifier_debian_mirror) || return 1
  root=$(mktemp -d /tmp/classifier-base.XXXXXX)
  echo "docker-up: building $CLASSIFIER_BASE_IMAGE with debootstrap from $mirror"
  (
    set -e
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    mount -t proc proc "$root/proc"
    trap 'umount "$root/proc"' EXIT
    chroot "$root" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends openjdk-17-jre-headless ca-certificates && apt-get clean' \
      >"$root.apt.log" 2>&1
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
    : >"$root/etc/resolv.conf"
  ) || rc=$?
  if [ $rc -ne 0 ]; then
    echo "docker-up: base image build failed; logs: $root.debootstrap.log $root.apt.log" >&2
    tail -n 20 "$root.debootstrap.log" "$root.apt.log" >&2 2>/dev/null
    return 1
  fi
  tar -C "$root" -c . | docker import \
    -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'CMD ["/bin/bash"]' \
    - "$CLASSIFIER_BASE_IMAGE" >/dev/null || { echo "docker-up: docker import failed" >&2; return 1; }
  rm -rf "$root" "$root.debootstrap.log" "$root.apt.log"
}

classifier_docker_up
