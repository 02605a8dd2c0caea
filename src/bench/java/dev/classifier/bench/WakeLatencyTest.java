package dev.classifier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WakeLatencyTest {

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void everyHandOffIsTimedFromHandingOverToTheReceiverRunning() throws Exception {
    WakeLatency.Result result = WakeLatency.measure(7, Duration.ofMillis(3));

    assertThat(result.afterWork().count()).isEqualTo(7);
    assertThat(result.afterIdle().count()).isEqualTo(7);
    assertThat(result.idle()).isEqualTo(Duration.ofMillis(3));
    // Each is a real interval between two clock readings on two threads: positive, and far below
    // the test's own timeout.
    assertThat(result.afterWork().percentileMs(0)).isGreaterThan(0);
    assertThat(result.afterIdle().percentileMs(0)).isGreaterThan(0);
    assertThat(result.afterIdle().percentileMs(100)).isLessThan(5_000);
  }
}
