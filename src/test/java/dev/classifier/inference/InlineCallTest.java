package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.inference.RejectedException.Reason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Inference.Admission#submitOrRun}: a request's only image runs on the caller's thread when
 * a worker would only wake up for it, and is queued like any other when a worker is busy, when the
 * request has more images, or when a batch could still form; the worker count bounds session calls
 * either way, and the client-gone and deadline checks at the start of a call still apply. No
 * sleeps: the runner records which thread ran what, and latches hold calls while the test looks.
 */
class InlineCallTest {

  private static final int IMAGE = 4;

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private final CountDownLatch holdStarted = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile float holdValue = Float.NaN;
  private BatchScheduler scheduler;

  private final BatchListener listener =
      new BatchListener() {
        @Override
        public void batchExecuted(int batchSize, long inferenceNanos) {
          events.add("executed " + batchSize);
        }

        @Override
        public void dequeued(long queueNanos) {
          events.add("dequeued");
        }

        @Override
        public void clientGone() {
          events.add("client gone");
        }
      };

  /** Answers each image with its own first value; holds the call of image {@link #holdValue}. */
  private BatchOutput record(List<float[]> images, boolean features, int othersInFlight) {
    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      float[][] rows = new float[images.size()][];
      for (int i = 0; i < images.size(); i++) {
        float first = images.get(i)[0];
        ran.add(first + " on " + Thread.currentThread().getName());
        rows[i] = new float[] {first, first * 10};
        if (first == holdValue) {
          holdStarted.countDown();
          await(release);
        }
      }
      return new BatchOutput(rows, null);
    } finally {
      running.decrementAndGet();
    }
  }

  private void start(int maxBatch, Duration delay, int workers) {
    scheduler =
        new BatchScheduler(
            new BatchSettings(maxBatch, delay, 16, workers),
            IMAGE,
            () -> this::record,
            clock::get,
            listener,
            Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    release.countDown();
    scheduler.close();
  }

  private CompletableFuture<InferenceResult> runOrQueue(int value) {
    return runOrQueue(value, far(), () -> false);
  }

  private CompletableFuture<InferenceResult> runOrQueue(
      int value, Deadline deadline, BooleanSupplier gone) {
    try (Inference.Admission ticket = scheduler.reserve(1)) {
      return ticket.submitOrRun(image(value), false, deadline, gone);
    }
  }

  private Deadline far() {
    return new Deadline(clock.get() + TimeUnit.MINUTES.toNanos(5));
  }

  @Test
  void anImageThatFindsAWorkerIdleRunsOnTheCallersThreadAndIsAnsweredOnReturn() throws Exception {
    start(1, Duration.ZERO, 1);

    CompletableFuture<InferenceResult> answer = runOrQueue(7);

    assertThat(answer).isDone();
    assertThat(answer.get().scores()).containsExactly(7f, 70f);
    assertThat(answer.get().batchSize()).isEqualTo(1);
    assertThat(ran).containsExactly("7.0 on " + Thread.currentThread().getName());
    assertThat(events).containsExactly("dequeued", "executed 1");
    // Its place went back: the whole queue can be reserved again.
    scheduler.reserve(16).close();
  }

  @Test
  void batchesOfManyWithoutADelayStillRunAnImageAloneInline() throws Exception {
    start(4, Duration.ZERO, 1);

    assertThat(runOrQueue(3).get().scores()).containsExactly(3f, 30f);
    assertThat(ran).containsExactly("3.0 on " + Thread.currentThread().getName());
  }

  @Test
  void anImageThatFindsEveryWorkerBusyIsQueuedForAWorker() throws Exception {
    start(1, Duration.ZERO, 1);
    holdValue = 1;
    CompletableFuture<InferenceResult> first =
        scheduler.reserve(1).submit(image(1), false, far(), () -> false);
    await(holdStarted);

    CompletableFuture<InferenceResult> second = runOrQueue(2);

    assertThat(second).isNotDone();
    assertThat(scheduler.queueDepth()).isEqualTo(1);
    release.countDown();
    assertThat(second.get(5, TimeUnit.SECONDS).scores()).containsExactly(2f, 20f);
    assertThat(first.get(5, TimeUnit.SECONDS).scores()).containsExactly(1f, 10f);
    assertThat(ran).containsExactly("1.0 on inference-0", "2.0 on inference-0");
  }

  @Test
  void theImagesOfALargerRequestAreQueuedSoWorkersRunThemSideBySide() throws Exception {
    start(1, Duration.ZERO, 1);
    CompletableFuture<InferenceResult> a;
    CompletableFuture<InferenceResult> b;
    try (Inference.Admission ticket = scheduler.reserve(2)) {
      a = ticket.submitOrRun(image(4), false, far(), () -> false);
      b = ticket.submitOrRun(image(5), false, far(), () -> false);
    }

    assertThat(a.get(5, TimeUnit.SECONDS).scores()).containsExactly(4f, 40f);
    assertThat(b.get(5, TimeUnit.SECONDS).scores()).containsExactly(5f, 50f);
    assertThat(ran).containsExactly("4.0 on inference-0", "5.0 on inference-0");
  }

  @Test
  void whenABatchCouldStillFormTheImageWaitsInTheQueue() throws Exception {
    start(2, Duration.ofHours(1), 1);

    CompletableFuture<InferenceResult> a = runOrQueue(8);
    CompletableFuture<InferenceResult> b = runOrQueue(9);

    assertThat(a.get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(2);
    assertThat(b.get(5, TimeUnit.SECONDS).scores()).containsExactly(9f, 90f);
    assertThat(ran).containsExactly("8.0 on inference-0", "9.0 on inference-0");
  }

  @Test
  void anInlineCallTakesAWorkersSlotSoTheWorkerCountStillBoundsSessionCalls() throws Exception {
    start(1, Duration.ZERO, 1);
    holdValue = 1;
    CompletableFuture<CompletableFuture<InferenceResult>> inline =
        CompletableFuture.supplyAsync(() -> runOrQueue(1));
    await(holdStarted);
    CompletableFuture<InferenceResult> queued =
        scheduler.reserve(1).submit(image(2), false, far(), () -> false);
    // The worker takes the queued image, then waits for the slot the inline call holds (or,
    // were the bound broken, runs it beside the inline call).
    while (scheduler.queueDepth() != 0 || (ran.size() < 2 && !waiting("inference-0"))) {
      Thread.onSpinWait();
    }
    assertThat(ran).hasSize(1);
    release.countDown();

    assertThat(inline.get(5, TimeUnit.SECONDS).get().scores()).containsExactly(1f, 10f);
    assertThat(queued.get(5, TimeUnit.SECONDS).scores()).containsExactly(2f, 20f);
    assertThat(mostAtOnce).hasValue(1);
    assertThat(ran.get(0)).doesNotEndWith("inference-0");
    assertThat(ran.get(1)).isEqualTo("2.0 on inference-0");
  }

  @Test
  void anInlineImageWhoseClientLeftCostsNoInference() {
    start(1, Duration.ZERO, 1);

    CompletableFuture<InferenceResult> answer = runOrQueue(6, far(), () -> true);

    assertThat(reasonOf(answer)).isEqualTo(Reason.CLIENT_GONE);
    assertThat(ran).isEmpty();
    assertThat(events).containsExactly("dequeued", "client gone");
  }

  @Test
  void anInlineImageWhoseDeadlineHasPassedIsAnswered503WithoutInference() {
    start(1, Duration.ZERO, 1);
    Deadline past = new Deadline(clock.get() - 1);

    CompletableFuture<InferenceResult> answer = runOrQueue(6, past, () -> false);

    assertThat(reasonOf(answer)).isEqualTo(Reason.DEADLINE_EXCEEDED);
    assertThat(ran).isEmpty();
  }

  @Test
  void noInlineCallStartsOnceTheSchedulerCloses() {
    start(1, Duration.ZERO, 1);
    Inference.Admission held = scheduler.reserve(1);
    scheduler.close();

    assertThatThrownBy(() -> held.submitOrRun(image(1), false, far(), () -> false))
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SHUTTING_DOWN));
    assertThat(ran).isEmpty();
  }

  /** Whether a thread of that name is parked without a timeout, as on a semaphore. */
  private static boolean waiting(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.getState() == Thread.State.WAITING);
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
