#!/usr/bin/env bash
# The benchmark, in one command: builds the jar, the bench classes and an INT8 model if needed, then runs
# dev.classifier.bench.Benchmark, which measures raw ONNX Runtime floors in its own JVM, then starts the service
# itself (each configuration a fresh `java -jar` on a loopback port, stopped by its PID): a threading/batching
# sweep, the main run on the shipped defaults (cold start, 1/4/8/32 clients, 12 MP, a JFR profile, RSS, a long
# run), INT8 against FP32, and last the paired, drift-cancelling phase (issue 27: raw twin session and HTTP request
# alternating, FP32 and INT8, throughput windows, 12 MP against raw + decode, every hop of a request from JFR).
# Writes docs/benchmarks.md. Not part of `mvn verify`; never fails on speed.
#
#   bench/run.sh            full run (~30-35 min on a quiet 2-CPU machine; the long run is 10,000 requests)
#   bench/run.sh --smoke    small counts (~7 min): proves the harness, writes target/benchmarks-smoke.md
#   bench/run.sh --paired [--smoke]   only the paired, drift-cancelling phase (~15 min on a 2-CPU machine): replaces its
#                           section of docs/benchmarks.md, which then names its own run (smoke: target/)
#   bench/run.sh --oip [--smoke]   dev.classifier.bench.OipBench instead: the Open Inference Protocol's scenarios
#                           (gRPC FP32 tensor ÷ the raw floor; V2 binary and gRPC JPEG vs /v1 at 1/4/8 clients;
#                           bytes on the wire per form): its section of docs/benchmarks.md (smoke: target/, BENCH_OUT)
#   bench/run.sh --ops [--smoke]   dev.classifier.bench.OpsBench instead (~8 min): result cache on ÷ off where half
#                           the images repeat, a hit's latency, tracing on ÷ off at 1 and 8 clients, images in flight
#                           against latency at 1/4/8/32 clients: its section of docs/benchmarks.md (smoke: target/)
#   bench/run.sh --soak [MINUTES]   dev.classifier.bench.Soak instead (default 30 min): capacity, then an open loop at
#                           80 % of it with valid, invalid and bomb inputs; RSS, live heap, threads and descriptors
#                           must stay flat. 30 min replaces docs/benchmarks.md's Soak section, less writes target/soak.md
#
# Environment: BENCH_PORT (18080; health and metrics on the next port), BENCH_LONG_REQUESTS (10000; smoke 200), BENCH_OUT (docs/benchmarks.md),
# BENCH_SERVICE_JAVA_OPTS ("-Xmx384m -XX:+ExitOnOutOfMemoryError @src/main/jvm/request-path-jit.args": the heap
# the container image gets from MaxRAMPercentage=25 of the manifests' 1536 Mi limit, its exit on OOM, and the
# request path's compile thresholds its entrypoint lowers).
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=()
paired=()
soak=
oip=
ops=
out=${BENCH_OUT:-docs/benchmarks.md}
long=${BENCH_LONG_REQUESTS:-10000}
case "${1:-}" in
  --smoke) smoke=(--smoke); out=${BENCH_OUT:-target/benchmarks-smoke.md}; long=${BENCH_LONG_REQUESTS:-200} ;;
  --paired) paired=(--paired-only); [ "${2:-}" = --smoke ] && smoke=(--smoke)
    out=${BENCH_OUT:-$([ ${#smoke[@]} -gt 0 ] && echo target/benchmarks-paired-smoke.md || echo docs/benchmarks.md)} ;;
  --oip) oip=1; [ "${2:-}" = --smoke ] && smoke=(--smoke)
    out=${BENCH_OUT:-$([ ${#smoke[@]} -gt 0 ] && echo target/benchmarks-oip-smoke.md || echo docs/benchmarks.md)} ;;
  --ops) ops=1; [ "${2:-}" = --smoke ] && smoke=(--smoke)
    out=${BENCH_OUT:-$([ ${#smoke[@]} -gt 0 ] && echo target/benchmarks-ops-smoke.md || echo docs/benchmarks.md)} ;;
  --soak) soak=${2:-30}; [[ $soak =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 --soak [MINUTES]" >&2; exit 2; } ;;
  "") ;;
  *) echo "usage: $0 [--smoke | --paired [--smoke] | --oip [--smoke] | --ops [--smoke] | --soak [MINUTES]]" >&2; exit 2 ;;
esac
port=${BENCH_PORT:-18080}
service_opts=${BENCH_SERVICE_JAVA_OPTS:--Xmx384m -XX:+ExitOnOutOfMemoryError @src/main/jvm/request-path-jit.args}
jar=target/xception-classifier.jar
fp32=models/xception.onnx
int8=target/bench/xception-int8.onnx

# Rebuild what is older than its sources: the jar (main code, pom), the bench classes (src/bench, and the test
# code they use), the class path.
if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]; then
  echo "[bench] building $jar"
  mvn -q -B package -DskipTests
fi
bench_class=target/test-classes/dev/classifier/bench/Benchmark.class
if [ ! -f "$bench_class" ] || [ -n "$(find src/test src/bench -newer "$bench_class" -print -quit)" ]; then
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

# The models, built by the service's own command when missing or older than the jar that builds them.
mkdir -p target/bench
if [ ! -f "$fp32" ]; then
  echo "[bench] building $fp32 (synthetic weights)"
  java -jar "$jar" build-model --synthetic --output "$fp32"
fi
if [ -z "$soak" ] && [ -z "$oip" ] && [ -z "$ops" ] && { [ ! -f "$int8" ] || [ "$jar" -nt "$int8" ]; }; then
  echo "[bench] building $int8 (synthetic weights, built-in calibration images)"
  java -jar "$jar" build-model --precision int8 --synthetic --output "$int8"
fi

# The class path goes in CLASSPATH, not on the command line: ONNX Runtime 1.29's native start-up crashes the JVM
# (SIGSEGV, no hs_err) when the process command line is longer than about 3.7 KB, which -cp with ~130 jars is.
if [ -n "$oip" ]; then
  CLASSPATH="target/test-classes:target/classes:$(cat target/bench-classpath.txt)" java dev.classifier.bench.OipBench \
    --jar="$jar" --port="$port" --model="$fp32" --service-opts="$service_opts" --out="$out" "${smoke[@]}"
  echo "[bench] done: $out (service log: target/bench/oip.log)"
  exit 0
fi
if [ -n "$ops" ]; then
  CLASSPATH="target/test-classes:target/classes:$(cat target/bench-classpath.txt)" java dev.classifier.bench.OpsBench \
    --jar="$jar" --port="$port" --service-opts="$service_opts" --out="$out" "${smoke[@]}"
  echo "[bench] done: $out (service logs: target/bench/ops-*.log)"
  exit 0
fi
if [ -n "$soak" ]; then
  CLASSPATH="target/test-classes:target/classes:$(cat target/bench-classpath.txt)" java dev.classifier.bench.Soak \
    --jar="$jar" --port="$port" --model="$fp32" --minutes="$soak" --service-opts="$service_opts"
  echo "[bench] soak done (service log: target/bench/soak.log)"
  exit 0
fi
CLASSPATH="target/test-classes:target/classes:$(cat target/bench-classpath.txt)" java dev.classifier.bench.Benchmark \
  --jar="$jar" --port="$port" --model="$fp32" --int8-model="$int8" --long-requests="$long" \
  --service-opts="$service_opts" --clk-tck="$(getconf CLK_TCK)" --out="$out" "${smoke[@]}" "${paired[@]}"
echo "[bench] done: $out (service logs: target/bench/*.log)"
