#!/usr/bin/env bash
# Longer, time-bounded fuzzing of the image decoders than the 60 s of `mvn verify` (docs/fuzzing.md).
#
#   bench/fuzz.sh [SECONDS]        default 1800 (30 minutes)
#
# Runs Jazzer's standalone driver on ImageDecodeFuzzTest.fuzzerTestOneInput, niced, with the
# committed seeds and findings as the starting corpus and target/fuzz/corpus for what it discovers
# (kept between runs). Findings (crash-*, timeout-*, oom-*) land in target/fuzz/; copy each one into
# src/test/resources/dev/classifier/image/ImageDecodeFuzzTestInputs/decodeAnyBytes/ under a name
# that says what it is, fix it, and plain test runs replay it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN="${1:-1800}"
SEEDS=src/test/resources/dev/classifier/image/ImageDecodeFuzzTestInputs/decodeAnyBytes
OUT=target/fuzz
mkdir -p "$OUT/corpus"

mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
CP="target/test-classes:target/classes:$(cat target/cp.txt)"

# -timeout: seconds one input may take (the decode CPU limit of the fuzz limits is 2 s);
# -rss_limit_mb=0 with -Xmx1g: an allocation bomb ends as an OutOfMemoryError, reported as a finding.
exec nice -n 10 java -Xmx1g -cp "$CP" com.code_intelligence.jazzer.Jazzer \
  --target_class=dev.classifier.image.ImageDecodeFuzzTest \
  --instrumentation_includes='dev.classifier.image.**:com.twelvemonkeys.**' \
  -max_total_time="$SECONDS_TO_RUN" \
  -timeout=20 \
  -rss_limit_mb=0 \
  -print_final_stats=1 \
  -artifact_prefix="$OUT/" \
  "$OUT/corpus" "$SEEDS" 2>&1 | tee "$OUT/fuzz.log"
