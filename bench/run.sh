#!/usr/bin/env bash
# The issue-4 benchmark, in one command: builds the jar and the bench classes if needed, starts the service on a
# loopback port with explicit thread settings, runs dev.classifier.bench.Benchmark against it (raw ONNX Runtime
# in-process while the service idles, then 1/8/32 clients, a 12 MP image and a long run for RSS growth), stops the
# service by its PID and writes docs/benchmarks.md. Not part of `mvn verify`.
#
#   bench/run.sh            full run (~20-25 min at ~10 images/s; the long run is 10,000 requests)
#   bench/run.sh --smoke    small counts (~4 min): proves the harness, writes target/benchmarks-smoke.md
#
# Environment: BENCH_PORT (18080), BENCH_INTRA_OP_THREADS (nproc), BENCH_ALLOW_SPINNING (false, the service's
# default), BENCH_QUEUE_CAPACITY (16),
# BENCH_LONG_REQUESTS (10000; smoke 200), BENCH_OUT (docs/benchmarks.md),
# BENCH_SERVICE_JAVA_OPTS (-Xmx384m: without a heap cap the JVM may grow its heap to 1/4 of the machine's RAM, and
# RSS with it; set it to " " to measure the JVM's defaults).
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=()
out=${BENCH_OUT:-docs/benchmarks.md}
long=${BENCH_LONG_REQUESTS:-10000}
case "${1:-}" in
  --smoke) smoke=(--smoke); out=${BENCH_OUT:-target/benchmarks-smoke.md}; long=${BENCH_LONG_REQUESTS:-200} ;;
  "") ;;
  *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
esac
port=${BENCH_PORT:-18080}
threads=${BENCH_INTRA_OP_THREADS:-$(nproc)}
spinning=${BENCH_ALLOW_SPINNING:-false}
capacity=${BENCH_QUEUE_CAPACITY:-16}
service_opts=${BENCH_SERVICE_JAVA_OPTS:--Xmx384m}
jar=target/xception-classifier.jar
log=target/bench-service.log

# Rebuild what is older than its sources: the jar (main code, pom), the bench classes (test code), the class path.
if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]; then
  echo "[bench] building $jar"
  mvn -q -B package -DskipTests
fi
bench_class=target/test-classes/dev/classifier/bench/Benchmark.class
if [ ! -f "$bench_class" ] || [ -n "$(find src/test -newer "$bench_class" -print -quit)" ]; then
  echo "[bench] compiling the bench classes"
  mvn -q -B test-compile
fi
if [ ! -f target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
  mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
fi

if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "[bench] port $port is already in use; set BENCH_PORT" >&2
  exit 1
fi

echo "[bench] starting the service on 127.0.0.1:$port (1 worker x $threads intra-op threads, batch 1, queue $capacity)"
# shellcheck disable=SC2086  # service_opts is a list of JVM options
java $service_opts -jar "$jar" \
  --server.address=127.0.0.1 --server.port="$port" \
  --classifier.inference.provider=cpu \
  --classifier.inference.workers=1 --classifier.inference.intra-op-threads="$threads" \
  --classifier.inference.allow-spinning="$spinning" \
  --classifier.batching.max-batch-size=1 --classifier.batching.max-queue-delay=0ms \
  --classifier.batching.queue-capacity="$capacity" >"$log" 2>&1 &
pid=$!
stop() {
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
}
trap stop EXIT

# First start builds models/xception.onnx (synthetic weights) and warms up; readiness turns UP after that.
for _ in $(seq 1 600); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "[bench] the service exited during start-up; see $log" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  if curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; then
    break
  fi
  sleep 1
done
curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null || { echo "[bench] not ready after 600 s" >&2; exit 1; }
sleep 2 # let start-up settle before the idle RSS sample and the raw run

# The class path goes in CLASSPATH, not on the command line: ONNX Runtime 1.29's native start-up crashes the JVM
# (SIGSEGV, no hs_err) when the process command line is longer than about 3.7 KB, which -cp with ~130 jars is.
CLASSPATH="target/test-classes:target/classes:$(cat target/bench-classpath.txt)" java dev.classifier.bench.Benchmark \
  --url="http://127.0.0.1:$port" --pid="$pid" --model=models/xception.onnx --threads="$threads" --allow-spinning="$spinning" \
  --queue-capacity="$capacity" --long-requests="$long" --service-opts="$service_opts" \
  --clk-tck="$(getconf CLK_TCK)" --out="$out" "${smoke[@]}"
echo "[bench] done: $out (service log: $log)"
