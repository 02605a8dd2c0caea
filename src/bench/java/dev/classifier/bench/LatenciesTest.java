package dev.classifier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The benchmark's percentiles are nearest-rank, so a reported p99 is always a latency some request
 * really had.
 */
class LatenciesTest {

  private static final long MS = 1_000_000;

  @Test
  void nearestRankPercentilesOfOneToHundredMilliseconds() {
    long[] nanos = new long[100];
    for (int i = 0; i < 100; i++) {
      nanos[i] = (100 - i) * MS; // unsorted on purpose
    }
    Latencies latencies = Latencies.of(nanos);

    assertThat(latencies.medianMs()).isEqualTo(50.0);
    assertThat(latencies.percentileMs(90)).isEqualTo(90.0);
    assertThat(latencies.percentileMs(99)).isEqualTo(99.0);
    assertThat(latencies.percentileMs(100)).isEqualTo(100.0);
    assertThat(latencies.percentileMs(0)).isEqualTo(1.0);
  }

  @Test
  void p99OfFewerThanHundredSamplesIsTheMaximum() {
    Latencies latencies = Latencies.of(new long[] {3 * MS, 1 * MS, 2 * MS});

    assertThat(latencies.percentileMs(99)).isEqualTo(3.0);
    assertThat(latencies.medianMs()).isEqualTo(2.0);
  }

  @Test
  void noSamplesHaveNoPercentile() {
    assertThat(Latencies.of(new long[0]).medianMs()).isNaN();
  }
}
