package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.classifier.inference.RejectedException.Reason;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching rules, with a runner that records every batch and answers each image with its own
 * first value, so a wrong row would show. A latch holds the first batch so the tests control what
 * is queued meanwhile.
 */
class BatchSchedulerTest {

  private static final int IMAGE = 4;
  private static final long FAR = TimeUnit.MINUTES.toNanos(5);

  private final List<List<Float>> batches = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstBatchStarted = new CountDownLatch(1);
  private final CountDownLatch releaseFirstBatch = new CountDownLatch(1);
  private BatchScheduler scheduler;

  private float[][] record(FloatBuffer input, int batchSize) {
    List<Float> firsts = new ArrayList<>();
    float[][] rows = new float[batchSize][2];
    for (int i = 0; i < batchSize; i++) {
      float first = input.get(i * IMAGE);
      firsts.add(first);
      rows[i] = new float[] {first, first * 10};
    }
    batches.add(firsts);
    if (firstBatchStarted.getCount() > 0) {
      firstBatchStarted.countDown();
      await(releaseFirstBatch);
    }
    return rows;
  }

  private BatchScheduler start(int maxBatch, Duration delay, int capacity) {
    scheduler =
        new BatchScheduler(
            new BatchSettings(maxBatch, delay, capacity, 1),
            IMAGE,
            this::record,
            System::nanoTime,
            BatchListener.NONE);
    return scheduler;
  }

  @AfterEach
  void stop() {
    releaseFirstBatch.countDown();
    scheduler.close();
  }

  @Test
  void gathersWaitingRequestsUpToMaxBatchSizeAndAnswersEachWithItsOwnRow() throws Exception {
    start(4, Duration.ZERO, 16);
    CompletableFuture<InferenceResult> first = scheduler.submit(image(1), now() + FAR);
    await(firstBatchStarted);
    List<CompletableFuture<InferenceResult>> queued = new ArrayList<>();
    for (int i = 2; i <= 7; i++) {
      queued.add(scheduler.submit(image(i), now() + FAR));
    }
    releaseFirstBatch.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS).scores()).containsExactly(1f, 10f);
    for (int i = 0; i < queued.size(); i++) {
      InferenceResult result = queued.get(i).get(5, TimeUnit.SECONDS);
      assertThat(result.scores()).containsExactly(i + 2f, (i + 2f) * 10);
    }
    assertThat(batches).containsExactly(List.of(1f), List.of(2f, 3f, 4f, 5f), List.of(6f, 7f));
    assertThat(queued.get(0).get().batchSize()).isEqualTo(4);
    assertThat(queued.get(5).get().batchSize()).isEqualTo(2);
  }

  @Test
  void waitsUpToTheQueueDelayForMoreRequests() throws Exception {
    start(8, Duration.ofMillis(300), 16);
    CompletableFuture<InferenceResult> a = scheduler.submit(image(1), now() + FAR);
    Thread.sleep(50);
    CompletableFuture<InferenceResult> b = scheduler.submit(image(2), now() + FAR);
    releaseFirstBatch.countDown();

    assertThat(a.get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(2);
    assertThat(b.get(5, TimeUnit.SECONDS).scores()).containsExactly(2f, 20f);
    assertThat(batches).containsExactly(List.of(1f, 2f));
    assertThat(a.get().queueNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
  }

  @Test
  void aFullQueueRejectsAtOnceWithARetryHint() {
    start(1, Duration.ZERO, 2);
    scheduler.submit(image(1), now() + FAR);
    await(firstBatchStarted);
    scheduler.submit(image(2), now() + FAR);
    scheduler.submit(image(3), now() + FAR);

    assertThatThrownBy(() -> scheduler.submit(image(4), now() + FAR))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.QUEUE_FULL);
              assertThat(e.retryAfter()).isPositive();
            });
    assertThat(scheduler.queueDepth()).isEqualTo(2);
  }

  @Test
  void theAdmissionCheckRefusesExactlyWhenTheQueueIsFull() {
    start(1, Duration.ZERO, 2);
    scheduler.submit(image(1), now() + FAR);
    await(firstBatchStarted);
    scheduler.submit(image(2), now() + FAR);
    scheduler.checkAdmission(); // one place left: admitted

    scheduler.submit(image(3), now() + FAR);

    assertThatThrownBy(scheduler::checkAdmission)
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.QUEUE_FULL);
              assertThat(e.retryAfter()).isPositive();
            });
    assertThat(scheduler.queueDepth()).isEqualTo(2);
  }

  @Test
  void aRequestWhoseDeadlinePassedInTheQueueIsDroppedWithoutInference() throws Exception {
    start(4, Duration.ZERO, 16);
    scheduler.submit(image(1), now() + FAR);
    await(firstBatchStarted);
    CompletableFuture<InferenceResult> late =
        scheduler.submit(image(2), now() + TimeUnit.MILLISECONDS.toNanos(20));
    CompletableFuture<InferenceResult> onTime = scheduler.submit(image(3), now() + FAR);
    Thread.sleep(60);
    releaseFirstBatch.countDown();

    assertThat(onTime.get(5, TimeUnit.SECONDS).scores()).containsExactly(3f, 30f);
    assertThat(reasonOf(late)).isEqualTo(Reason.DEADLINE_EXCEEDED);
    assertThat(batches).containsExactly(List.of(1f), List.of(3f));
  }

  @Test
  void aCancelledRequestCostsNoInference() throws Exception {
    start(4, Duration.ZERO, 16);
    scheduler.submit(image(1), now() + FAR);
    await(firstBatchStarted);
    CompletableFuture<InferenceResult> abandoned = scheduler.submit(image(2), now() + FAR);
    CompletableFuture<InferenceResult> kept = scheduler.submit(image(3), now() + FAR);
    abandoned.cancel(false);
    releaseFirstBatch.countDown();

    assertThat(kept.get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(1);
    assertThat(batches).containsExactly(List.of(1f), List.of(3f));
  }

  @Test
  void drainingFinishesWhatIsQueuedThenRefusesNewWork() throws Exception {
    start(1, Duration.ZERO, 16);
    scheduler.submit(image(1), now() + FAR);
    await(firstBatchStarted);
    CompletableFuture<InferenceResult> queued = scheduler.submit(image(2), now() + FAR);
    Thread releaser =
        new Thread(
            () -> {
              sleep(100);
              releaseFirstBatch.countDown();
            });
    releaser.start();

    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> scheduler.drain(Duration.ofSeconds(5)));
    assertThat(queued.get(1, TimeUnit.SECONDS).scores()).containsExactly(2f, 20f);
    assertThatThrownBy(() -> scheduler.submit(image(3), now() + FAR))
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SHUTTING_DOWN));
  }

  @Test
  void aFailingBatchFailsOnlyItsOwnRequests() throws Exception {
    List<Integer> calls = new CopyOnWriteArrayList<>();
    scheduler =
        new BatchScheduler(
            new BatchSettings(1, Duration.ZERO, 16, 1),
            IMAGE,
            (input, n) -> {
              calls.add(n);
              if (input.get(0) == 13f) {
                throw new InferenceException("boom", null);
              }
              return new float[][] {{input.get(0)}};
            },
            System::nanoTime,
            BatchListener.NONE);
    CompletableFuture<InferenceResult> bad = scheduler.submit(image(13), now() + FAR);
    CompletableFuture<InferenceResult> good = scheduler.submit(image(14), now() + FAR);

    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InferenceException.class);
    assertThat(good.get(5, TimeUnit.SECONDS).scores()).containsExactly(14f);
  }

  @Test
  void rejectsAnImageOfTheWrongSize() {
    start(1, Duration.ZERO, 4);
    assertThatThrownBy(() -> scheduler.submit(new float[IMAGE + 1], now() + FAR))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Reason reasonOf(CompletableFuture<InferenceResult> future) {
    try {
      future.get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected a rejection");
    } catch (ExecutionException e) {
      return ((RejectedException) e.getCause()).reason();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static float[] image(int value) {
    float[] pixels = new float[IMAGE];
    java.util.Arrays.fill(pixels, value);
    return pixels;
  }

  private static long now() {
    return System.nanoTime();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out waiting for the scheduler");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
