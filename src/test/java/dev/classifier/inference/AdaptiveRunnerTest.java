package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which session each call of an adaptive budget goes to, with runners that record their calls. */
class AdaptiveRunnerTest {

  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();

  private BatchRunner recording(String name, CountDownLatch entered, CountDownLatch release) {
    return (images, features, othersInFlight) -> {
      calls.add(name);
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new BatchOutput(new float[images.size()][1], null);
    };
  }

  private BatchRunner recording(String name) {
    return recording(name, new CountDownLatch(1), new CountDownLatch(0));
  }

  @Test
  void aCallAloneWithNothingQueuedUsesEveryCpu() {
    AdaptiveRunner runner = new AdaptiveRunner(recording("wide"), recording("single"), inFlight);

    runner.run(List.of(new float[1]), false, 0);
    runner.run(List.of(new float[1]), false, 0);

    assertThat(calls).containsExactly("wide", "wide");
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void aCallWithImagesQueuedBehindItRunsSingleThreaded() {
    AdaptiveRunner runner = new AdaptiveRunner(recording("wide"), recording("single"), inFlight);

    runner.run(List.of(new float[1]), false, 1);

    assertThat(calls).containsExactly("single");
  }

  @Test
  void aCallThatOverlapsAnotherRunsSingleThreaded() throws Exception {
    CountDownLatch firstEntered = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    AdaptiveRunner first =
        new AdaptiveRunner(
            recording("wide", firstEntered, releaseFirst), recording("single"), inFlight);
    AdaptiveRunner second = new AdaptiveRunner(recording("wide"), recording("single"), inFlight);

    CompletableFuture<BatchOutput> running =
        CompletableFuture.supplyAsync(() -> first.run(List.of(new float[1]), false, 0));
    assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
    second.run(List.of(new float[1]), false, 0);
    releaseFirst.countDown();
    running.get(10, TimeUnit.SECONDS);
    second.run(List.of(new float[1]), false, 0);

    assertThat(calls).containsExactly("wide", "single", "wide");
    assertThat(inFlight).hasValue(0);
  }

  @Test
  void aFailedCallLeavesTheCountRight() {
    AdaptiveRunner runner =
        new AdaptiveRunner(
            (images, features, queued) -> {
              throw new InferenceException("boom", null);
            },
            recording("single"),
            inFlight);

    assertThatThrownBy(() -> runner.run(List.of(new float[1]), false, 0))
        .isInstanceOf(InferenceException.class);

    assertThat(inFlight).hasValue(0);
    assertThat(calls).isEmpty();
  }
}
