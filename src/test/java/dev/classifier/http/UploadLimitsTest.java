package dev.classifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UploadLimitsTest {

  private final UploadLimits limits = new UploadLimits(1 << 20, 1024, Duration.ofSeconds(300));

  @Test
  void anUploadIsNotJudgedBeforeTheGrace() {
    assertThat(limits.tooSlow(0, TimeUnit.SECONDS.toNanos(9))).isNull();
  }

  @Test
  void afterTheGraceItsAverageRateMustReachTheMinimum() {
    long tenSeconds = TimeUnit.SECONDS.toNanos(10);
    assertThat(limits.tooSlow(10_240, tenSeconds)).isNull();
    assertThat(limits.tooSlow(10_239, tenSeconds))
        .isEqualTo(
            "the body arrived at 1023 bytes/s, below the minimum of 1024 bytes/s"
                + " (classifier.upload.min-rate)");
    assertThat(limits.tooSlow(5_000_000, TimeUnit.SECONDS.toNanos(60))).isNull();
  }
}
