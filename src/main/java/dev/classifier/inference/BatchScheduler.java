package dev.classifier.inference;

import dev.classifier.inference.RejectedException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic batcher in the manner of Triton's and TF Serving's: requests wait in a bounded queue;
 * each worker blocks for the first request, then gathers more for at most {@code maxQueueDelay}
 * until {@code maxBatchSize}, drops requests whose deadline passed or whose client gave up, runs
 * one session call and answers each request with its own row.
 */
final class BatchScheduler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BatchScheduler.class);
  private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final BatchSettings settings;
  private final int imageSize;
  private final BatchRunner runner;
  private final LongSupplier nanoClock;
  private final BatchListener listener;
  private final BlockingQueue<Pending> queue;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean accepting = true;

  /** Median-ish cost of one session call, used for Retry-After hints. */
  private volatile long lastBatchNanos = TimeUnit.MILLISECONDS.toNanos(100);

  private record Pending(
      float[] pixels,
      long enqueuedNanos,
      long deadlineNanos,
      CompletableFuture<InferenceResult> future,
      boolean features) {}

  BatchScheduler(
      BatchSettings settings,
      int imageSize,
      BatchRunner runner,
      LongSupplier nanoClock,
      BatchListener listener) {
    this.settings = settings;
    this.imageSize = imageSize;
    this.runner = runner;
    this.nanoClock = nanoClock;
    this.listener = listener;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    for (int i = 0; i < settings.workers(); i++) {
      Thread worker = new Thread(this::work, "inference-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  /**
   * Queues one image. Cancelling the returned future before its batch starts saves the inference.
   *
   * @param pixels {@code imageSize} floats in the model's layout
   * @param deadlineNanos on {@code nanoClock}'s scale; the request is dropped if still queued then
   * @throws RejectedException at once when the queue is full or the scheduler is closing
   */
  CompletableFuture<InferenceResult> submit(float[] pixels, long deadlineNanos) {
    return submit(pixels, deadlineNanos, false);
  }

  /**
   * As {@link #submit(float[], long)}; with {@code features} the result also carries the image's
   * feature map. A batch fetches the feature output only when one of its images asked for it.
   */
  CompletableFuture<InferenceResult> submit(float[] pixels, long deadlineNanos, boolean features) {
    if (pixels.length != imageSize) {
      throw new IllegalArgumentException("expected " + imageSize + " floats, got " + pixels.length);
    }
    if (!accepting) {
      throw shuttingDown();
    }
    CompletableFuture<InferenceResult> future = new CompletableFuture<>();
    if (!queue.offer(new Pending(pixels, nanoClock.getAsLong(), deadlineNanos, future, features))) {
      throw queueFull();
    }
    return future;
  }

  /**
   * Throws what {@link #submit} would throw if called now, so a caller can refuse before spending
   * CPU on decoding an image the queue has no room for. Only a pre-check: the queue may still fill
   * before the submit.
   */
  void checkAdmission() {
    if (!accepting) {
      throw shuttingDown();
    }
    if (queue.remainingCapacity() == 0) {
      throw queueFull();
    }
  }

  private RejectedException queueFull() {
    return new RejectedException(
        Reason.QUEUE_FULL,
        "the inference queue is full (" + settings.queueCapacity() + " waiting)",
        retryAfter());
  }

  private static RejectedException shuttingDown() {
    return new RejectedException(
        Reason.SHUTTING_DOWN, "the service is shutting down", Duration.ofSeconds(1));
  }

  int queueDepth() {
    return queue.size();
  }

  /**
   * How long until the queue has likely room again: one pass over the queue at the last measured
   * speed.
   */
  private Duration retryAfter() {
    long batches = (queue.size() + settings.maxBatchSize() - 1) / settings.maxBatchSize();
    return Duration.ofNanos(batches * lastBatchNanos / settings.workers());
  }

  private void work() {
    FloatBuffer input =
        ByteBuffer.allocateDirect(settings.maxBatchSize() * imageSize * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    List<Pending> batch = new ArrayList<>(settings.maxBatchSize());
    while (accepting || !queue.isEmpty()) {
      try {
        collect(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (!batch.isEmpty()) {
        execute(batch, input);
        batch.clear();
      }
    }
    // Anything still queued when workers are told to stop is failed, never left hanging.
    failRemaining(batch);
  }

  /**
   * Blocks for the first request, then gathers more until the batch is full or the queue delay is
   * spent.
   */
  private void collect(List<Pending> batch) throws InterruptedException {
    Pending first = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
    if (first == null) {
      return;
    }
    batch.add(first);
    long delayEnds = nanoClock.getAsLong() + settings.maxQueueDelay().toNanos();
    while (batch.size() < settings.maxBatchSize()) {
      long remaining = delayEnds - nanoClock.getAsLong();
      if (remaining <= 0) {
        queue.drainTo(batch, settings.maxBatchSize() - batch.size());
        return;
      }
      Pending next = queue.poll(remaining, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
    }
  }

  private void execute(List<Pending> batch, FloatBuffer input) {
    long start = nanoClock.getAsLong();
    input.clear();
    List<Pending> live = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      listener.dequeued(start - pending.enqueuedNanos());
      if (pending.future().isDone()) {
        continue; // cancelled by a client that went away: no inference spent on it
      }
      if (start - pending.deadlineNanos() > 0) {
        pending
            .future()
            .completeExceptionally(
                new RejectedException(
                    Reason.DEADLINE_EXCEEDED,
                    "the request waited past its deadline in the queue",
                    retryAfter()));
        continue;
      }
      input.put(pending.pixels());
      live.add(pending);
    }
    if (live.isEmpty()) {
      return;
    }
    input.flip();
    boolean features = live.stream().anyMatch(Pending::features);
    try {
      BatchOutput output =
          features
              ? runner.run(input, live.size(), true)
              : new BatchOutput(runner.run(input, live.size()), null);
      float[][] rows = output.scores();
      long inferenceNanos = nanoClock.getAsLong() - start;
      lastBatchNanos = inferenceNanos;
      listener.batchExecuted(live.size(), inferenceNanos);
      for (int i = 0; i < live.size(); i++) {
        Pending pending = live.get(i);
        pending
            .future()
            .complete(
                new InferenceResult(
                    rows[i],
                    start - pending.enqueuedNanos(),
                    inferenceNanos,
                    live.size(),
                    pending.features() && output.features() != null ? output.features()[i] : null));
      }
    } catch (RuntimeException e) {
      log.error("inference of a batch of {} failed", live.size(), e);
      live.forEach(pending -> pending.future().completeExceptionally(e));
    }
  }

  private void failRemaining(List<Pending> batch) {
    batch.forEach(this::failShuttingDown);
    Pending pending;
    while ((pending = queue.poll()) != null) {
      failShuttingDown(pending);
    }
  }

  private void failShuttingDown(Pending pending) {
    pending
        .future()
        .completeExceptionally(
            new RejectedException(
                Reason.SHUTTING_DOWN, "the service is shutting down", Duration.ofSeconds(1)));
  }

  /**
   * Stops taking requests, lets the workers finish what is queued, and waits for them up to {@code
   * timeout}.
   */
  void drain(Duration timeout) {
    accepting = false;
    long ends = System.nanoTime() + timeout.toNanos();
    for (Thread worker : workers) {
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(ends - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    workers.forEach(Thread::interrupt);
  }

  @Override
  public void close() {
    drain(Duration.ofSeconds(30));
  }
}
