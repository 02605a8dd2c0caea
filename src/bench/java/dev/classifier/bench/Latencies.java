package dev.classifier.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations, in milliseconds. */
record Latencies(long[] sortedNanos) {

  static Latencies of(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Latencies(sorted);
  }

  int count() {
    return sortedNanos.length;
  }

  /**
   * The nearest-rank percentile (the smallest value with at least {@code p}% of values at or below
   * it).
   */
  double percentileMs(double p) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
  }

  double medianMs() {
    return percentileMs(50);
  }

  double meanMs() {
    return sortedNanos.length == 0
        ? Double.NaN
        : Arrays.stream(sortedNanos).average().orElse(0) / 1e6;
  }
}
