package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.inference.RejectedException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's threads around {@link BatchPolicy}: a runner that records every batch and answers
 * each image with its own first value (so a wrong row would show), a latch that holds the first
 * batch so the tests control what is queued meanwhile, and a fake clock for the deadline decisions.
 * No sleeps.
 */
class BatchSchedulerTest {

  private static final int IMAGE = 4;
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<List<Float>> batches = new CopyOnWriteArrayList<>();
  private final List<Boolean> featureRequests = new CopyOnWriteArrayList<>();
  private final List<Integer> othersInFlightSeen = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstBatchStarted = new CountDownLatch(1);
  private final CountDownLatch releaseFirstBatch = new CountDownLatch(1);
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final BatchListener listener =
      new BatchListener() {
        @Override
        public void clientGone() {
          events.add("client gone");
        }

        @Override
        public void workerDied(String worker, Throwable cause) {
          events.add(worker + " died of " + cause.getMessage());
        }
      };
  private BatchScheduler scheduler;

  private BatchOutput record(List<float[]> images, boolean features, int othersInFlight) {
    List<Float> firsts = new ArrayList<>();
    float[][] rows = new float[images.size()][];
    float[][] maps = features ? new float[images.size()][] : null;
    for (int i = 0; i < images.size(); i++) {
      float first = images.get(i)[0];
      firsts.add(first);
      rows[i] = new float[] {first, first * 10};
      if (features) {
        maps[i] = new float[] {first * 100};
      }
    }
    batches.add(firsts);
    featureRequests.add(features);
    othersInFlightSeen.add(othersInFlight);
    if (firstBatchStarted.getCount() > 0) {
      firstBatchStarted.countDown();
      await(releaseFirstBatch);
    }
    return new BatchOutput(rows, maps);
  }

  private BatchScheduler start(int maxBatch, Duration delay, int capacity) {
    return start(maxBatch, delay, capacity, GRACE, this::record);
  }

  private BatchScheduler start(
      int maxBatch, Duration delay, int capacity, Duration grace, BatchRunner runner) {
    scheduler =
        new BatchScheduler(
            new BatchSettings(maxBatch, delay, capacity, 1),
            IMAGE,
            () -> runner,
            clock::get,
            listener,
            grace);
    return scheduler;
  }

  @AfterEach
  void stop() {
    releaseFirstBatch.countDown();
    scheduler.close();
  }

  private CompletableFuture<InferenceResult> submit(int value) {
    return submit(value, far(), false, () -> false);
  }

  private CompletableFuture<InferenceResult> submit(
      int value, Deadline deadline, boolean features, java.util.function.BooleanSupplier gone) {
    try (Inference.Admission ticket = scheduler.reserve(1)) {
      return ticket.submit(image(value), features, deadline, gone);
    }
  }

  private Deadline far() {
    return new Deadline(clock.get() + TimeUnit.MINUTES.toNanos(5));
  }

  @Test
  void gathersWaitingImagesUpToMaxBatchSizeAndAnswersEachWithItsOwnRow() throws Exception {
    start(4, Duration.ZERO, 16);
    CompletableFuture<InferenceResult> first = submit(1);
    await(firstBatchStarted);
    List<CompletableFuture<InferenceResult>> queued = new ArrayList<>();
    for (int i = 2; i <= 7; i++) {
      queued.add(submit(i));
    }
    releaseFirstBatch.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS).scores()).containsExactly(1f, 10f);
    for (int i = 0; i < queued.size(); i++) {
      assertThat(queued.get(i).get(5, TimeUnit.SECONDS).scores())
          .containsExactly(i + 2f, (i + 2f) * 10);
    }
    assertThat(batches).containsExactly(List.of(1f), List.of(2f, 3f, 4f, 5f), List.of(6f, 7f));
    assertThat(queued.get(0).get().batchSize()).isEqualTo(4);
    assertThat(queued.get(5).get().batchSize()).isEqualTo(2);
  }

  @Test
  void aFullBatchRunsAtOnceHoweverLongTheQueueDelay() throws Exception {
    start(2, Duration.ofHours(1), 16);
    CompletableFuture<InferenceResult> a = submit(1);
    CompletableFuture<InferenceResult> b = submit(2);
    releaseFirstBatch.countDown();

    assertThat(a.get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(2);
    assertThat(b.get(5, TimeUnit.SECONDS).scores()).containsExactly(2f, 20f);
    assertThat(batches).containsExactly(List.of(1f, 2f));
  }

  @Test
  void placesAreReservedAtAdmissionSoAFullQueueRefusesBeforeAnyDecoding() {
    start(1, Duration.ZERO, 2);
    submit(1);
    await(firstBatchStarted);
    Inference.Admission two = scheduler.reserve(2);

    assertThatThrownBy(() -> scheduler.reserve(1))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.QUEUE_FULL);
              assertThat(e.retryAfter()).isPositive();
              assertThat(e.getMessage()).isEqualTo("the inference queue is full (2 places)");
            });
    two.submit(image(2), false, far(), () -> false);
    two.close();
    assertThat(scheduler.queueDepth()).isEqualTo(1);
    scheduler.reserve(1).close();
  }

  @Test
  void imagesInFlightCountsReservedQueuedAndRunningUntilEachIsAnswered() throws Exception {
    start(1, Duration.ZERO, 8);
    CompletableFuture<InferenceResult> running = submit(1);
    await(firstBatchStarted);
    CompletableFuture<InferenceResult> queued = submit(2);
    Inference.Admission decoding = scheduler.reserve(3);
    // 1 running + 1 queued + 3 reserved by a request still decoding.
    assertThat(scheduler.imagesInFlight()).isEqualTo(5);
    assertThat(scheduler.queueDepth()).isEqualTo(1);

    CompletableFuture<InferenceResult> third = decoding.submit(image(3), false, far(), () -> false);
    decoding.close();
    assertThat(scheduler.imagesInFlight()).as("two unused places given back").isEqualTo(3);
    queued.cancel(false);
    assertThat(scheduler.imagesInFlight()).as("a withdrawn waiter is answered").isEqualTo(2);

    releaseFirstBatch.countDown();
    running.get(5, TimeUnit.SECONDS);
    third.get(5, TimeUnit.SECONDS);
    assertThat(scheduler.imagesInFlight()).isZero();
  }

  @Test
  void eachCallIsToldOfTheOtherAdmittedImagesEvenThoseStillBeingDecoded() throws Exception {
    start(1, Duration.ZERO, 8);
    // Admitted, not yet queued: the request is still decoding this image.
    Inference.Admission decoding = scheduler.reserve(1);
    CompletableFuture<InferenceResult> first = submit(1);
    await(firstBatchStarted);
    releaseFirstBatch.countDown();
    first.get(5, TimeUnit.SECONDS);
    awaitInFlight(1);
    decoding.submit(image(2), false, far(), () -> false).get(5, TimeUnit.SECONDS);
    decoding.close();
    awaitInFlight(0);
    submit(3).get(5, TimeUnit.SECONDS);

    assertThat(othersInFlightSeen).containsExactly(1, 0, 0);
  }

  /** An answer is counted out just after its future completes, on the worker: wait for it. */
  private void awaitInFlight(int images) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (scheduler.imagesInFlight() != images && System.nanoTime() - end < 0) {
      Thread.sleep(1);
    }
    assertThat(scheduler.imagesInFlight()).isEqualTo(images);
  }

  @Test
  void aTicketCannotQueueMoreThanItReserved() {
    start(1, Duration.ZERO, 4);
    Inference.Admission one = scheduler.reserve(1);
    one.submit(image(1), false, far(), () -> false);
    assertThatThrownBy(() -> one.submit(image(2), false, far(), () -> false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the ticket's places are used up");
  }

  @Test
  void anImageStillQueuedAtItsDeadlineIsAnswered503WithoutInference() throws Exception {
    start(4, Duration.ZERO, 16);
    submit(1);
    await(firstBatchStarted);
    Deadline soon = new Deadline(clock.get() + TimeUnit.MILLISECONDS.toNanos(20));
    CompletableFuture<InferenceResult> late = submit(2, soon, false, () -> false);
    CompletableFuture<InferenceResult> onTime = submit(3);
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(60));

    assertThat(reasonOf(late)).isEqualTo(Reason.DEADLINE_EXCEEDED);
    releaseFirstBatch.countDown();
    assertThat(onTime.get(5, TimeUnit.SECONDS).scores()).containsExactly(3f, 30f);
    assertThat(batches).containsExactly(List.of(1f), List.of(3f));
  }

  @Test
  void aRunningBatchGetsTheGraceAndNotMore() throws Exception {
    start(1, Duration.ZERO, 4, Duration.ofMillis(50), this::record);
    Deadline soon = new Deadline(clock.get() + TimeUnit.MILLISECONDS.toNanos(10));
    CompletableFuture<InferenceResult> stuck = submit(1, soon, false, () -> false);
    await(firstBatchStarted);

    assertThatThrownBy(() -> stuck.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
              assertThat(e.getMessage()).contains("running grace of 50 ms");
            });
  }

  @Test
  void anImageWhoseWaiterGaveUpOrWhoseClientLeftCostsNoInference() throws Exception {
    start(4, Duration.ZERO, 16);
    submit(1);
    await(firstBatchStarted);
    CompletableFuture<InferenceResult> abandoned = submit(2);
    AtomicBoolean gone = new AtomicBoolean();
    CompletableFuture<InferenceResult> disconnected = submit(3, far(), false, gone::get);
    CompletableFuture<InferenceResult> kept = submit(4);
    abandoned.cancel(false);
    gone.set(true);
    releaseFirstBatch.countDown();

    assertThat(kept.get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(1);
    assertThat(reasonOf(disconnected)).isEqualTo(Reason.CLIENT_GONE);
    assertThat(batches).containsExactly(List.of(1f), List.of(4f));
    assertThat(events).containsExactly("client gone");
  }

  @Test
  void featureMapsAreFetchedOnlyForBatchesThatAskAndReturnedOnlyToWhoAsked() throws Exception {
    start(4, Duration.ZERO, 16);
    submit(1);
    await(firstBatchStarted);
    CompletableFuture<InferenceResult> plain = submit(2);
    CompletableFuture<InferenceResult> explained = submit(3, far(), true, () -> false);
    releaseFirstBatch.countDown();

    assertThat(plain.get(5, TimeUnit.SECONDS).features()).isNull();
    assertThat(explained.get(5, TimeUnit.SECONDS).features()).containsExactly(300f);
    assertThat(featureRequests).containsExactly(false, true);
  }

  @Test
  void closingFinishesWhatIsQueuedThenRefusesNewWork() throws Exception {
    start(1, Duration.ZERO, 16);
    submit(1);
    await(firstBatchStarted);
    CompletableFuture<InferenceResult> queued = submit(2);
    Inference.Admission held = scheduler.reserve(1);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(scheduler::close);
    // close() stops admission first thing; spin (no sleep) until it has.
    while (true) {
      try {
        scheduler.reserve(1).close();
      } catch (RejectedException e) {
        assertThat(e.reason()).isEqualTo(Reason.SHUTTING_DOWN);
        break;
      }
    }
    assertThatThrownBy(() -> held.submit(image(9), false, far(), () -> false))
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SHUTTING_DOWN));
    releaseFirstBatch.countDown();

    closing.get(10, TimeUnit.SECONDS);
    assertThat(queued.get(1, TimeUnit.SECONDS).scores()).containsExactly(2f, 20f);
    assertThatThrownBy(() -> scheduler.reserve(1))
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SHUTTING_DOWN));
  }

  @Test
  void aFailingBatchFailsOnlyItsOwnImages() throws Exception {
    start(
        1,
        Duration.ZERO,
        16,
        GRACE,
        (images, features, queued) -> {
          if (images.get(0)[0] == 13f) {
            throw new InferenceException("boom", null);
          }
          return new BatchOutput(new float[][] {{images.get(0)[0]}}, null);
        });
    CompletableFuture<InferenceResult> bad = submit(13);
    CompletableFuture<InferenceResult> good = submit(14);

    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InferenceException.class);
    assertThat(good.get(5, TimeUnit.SECONDS).scores()).containsExactly(14f);
    assertThat(scheduler.healthy()).isTrue();
  }

  @Test
  void aWorkerKilledByAnErrorIsReportedAndTheQueueStopsAdmitting() throws Exception {
    start(
        1,
        Duration.ZERO,
        16,
        GRACE,
        (images, features, queued) -> {
          throw new LinkageError("native library gone");
        });
    CompletableFuture<InferenceResult> victim = submit(1);

    assertThatThrownBy(() -> victim.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InferenceException.class);
    assertThat(events).containsExactly("inference-0 died of native library gone");
    assertThat(scheduler.healthy()).isFalse();
    assertThatThrownBy(() -> scheduler.reserve(1))
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_READY));
  }

  @Test
  void rejectsAnImageOfTheWrongSize() {
    start(1, Duration.ZERO, 4);
    Inference.Admission ticket = scheduler.reserve(1);
    assertThatThrownBy(() -> ticket.submit(new float[IMAGE + 1], false, far(), () -> false))
        .isInstanceOf(IllegalArgumentException.class);
    ticket.close();
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
}
