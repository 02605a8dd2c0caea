package dev.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Waiting for the process to go quiet, against a thread that keeps a CPU busy. */
class SettlingTest {

  @Test
  void aBusyProcessIsWaitedForOnlyUpToTheBound() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread spinner =
        new Thread(
            () -> {
              long x = 0;
              while (!stop.get()) {
                x += System.nanoTime() & 1;
              }
              assertThat(x).isNotNegative();
            });
    spinner.start();
    try {
      Settling.Outcome outcome = Settling.await(Duration.ofMillis(400));

      assertThat(outcome.quiet()).isFalse();
      assertThat(outcome.waited()).isBetween(Duration.ofMillis(400), Duration.ofSeconds(2));
    } finally {
      stop.set(true);
      spinner.join();
    }
  }

  @Test
  void aQuietProcessIsReadyWithinAFewWindows() {
    Settling.Outcome outcome = Settling.await(Duration.ofSeconds(5));

    assertThat(outcome.quiet()).isTrue();
    assertThat(outcome.waited()).isLessThan(Duration.ofSeconds(5));
  }
}
