package dev.classifier.inference;

import dev.classifier.inference.RejectedException.Reason;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A dynamic batcher in the manner of Triton's: images wait in a bounded queue whose places are
 * reserved at admission, before the request decodes anything ({@link QueueTicket}); {@link
 * BatchWorker}s gather and run batches; a {@link DeadlineTimer} bounds every wait. This class owns
 * the queue, its places and the workers' lives.
 */
final class BatchScheduler implements AutoCloseable {

  private final BatchSettings settings;
  private final int imageSize;
  private final LongSupplier nanoClock;
  private final BlockingQueue<Job> queue;
  private final Semaphore places;
  private final DeadlineTimer deadlines;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicInteger liveWorkers = new AtomicInteger();
  private final BatchObservations observations;

  /**
   * Images admitted and not yet answered: reserved places not yet used or given back, plus queued
   * and running jobs whose future is not complete. What an autoscaler should watch.
   */
  private final AtomicInteger inFlight = new AtomicInteger();

  private final WorkerSlots slots;
  private final BatchListener listener;

  /**
   * Whether an image could only ever be batched with images already waiting (batches of one, or no
   * queue delay): then an image that finds the queue empty gains nothing from waiting in it.
   */
  private final boolean batchesNeverWait;

  private volatile boolean accepting = true;

  /** The last session call's duration, for Retry-After hints; 100 ms until one ran. */
  private volatile long lastBatchNanos = TimeUnit.MILLISECONDS.toNanos(100);

  BatchScheduler(
      BatchSettings settings,
      int imageSize,
      Supplier<BatchRunner> runners,
      LongSupplier nanoClock,
      BatchListener listener,
      Duration runningGrace) {
    this(settings, imageSize, runners, nanoClock, listener, runningGrace, BatchObservations.NONE);
  }

  BatchScheduler(
      BatchSettings settings,
      int imageSize,
      Supplier<BatchRunner> runners,
      LongSupplier nanoClock,
      BatchListener listener,
      Duration runningGrace,
      BatchObservations observations) {
    this.settings = settings;
    this.observations = observations;
    this.imageSize = imageSize;
    this.nanoClock = nanoClock;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.places = new Semaphore(settings.queueCapacity());
    this.deadlines = new DeadlineTimer(nanoClock, runningGrace, this::retryAfter);
    this.listener = listener;
    this.batchesNeverWait = settings.maxBatchSize() == 1 || settings.maxQueueDelay().isZero();
    this.slots = new WorkerSlots(settings.workers());
    BatchPolicy policy = BatchPolicy.of(settings);
    for (int i = 0; i < settings.workers(); i++) {
      slots.addSpare(
          new BatchWorker(
              this, runners.get(), policy, nanoClock, listener, deadlines, observations));
    }
    for (int i = 0; i < settings.workers(); i++) {
      BatchWorker work =
          new BatchWorker(
              this, runners.get(), policy, nanoClock, listener, deadlines, observations);
      Thread worker = new Thread(work, "inference-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      liveWorkers.incrementAndGet();
      worker.start();
    }
  }

  /**
   * Reserves {@code images} places in the queue, or refuses at once.
   *
   * @throws RejectedException when the queue has no room, no worker is alive, or the scheduler
   *     closes
   */
  QueueTicket reserve(int images) {
    if (!accepting) {
      throw shuttingDown();
    }
    if (liveWorkers.get() == 0) {
      throw new RejectedException(
          Reason.NOT_READY,
          "no inference worker is running; the service must be restarted",
          Duration.ofSeconds(1));
    }
    if (!places.tryAcquire(images)) {
      throw new RejectedException(
          Reason.QUEUE_FULL,
          "the inference queue is full (" + settings.queueCapacity() + " places)",
          retryAfter());
    }
    inFlight.addAndGet(images);
    return new QueueTicket(this, images);
  }

  /** Queues one image on a place its ticket reserved. */
  CompletableFuture<InferenceResult> enqueue(
      float[] pixels, boolean features, Deadline deadline, BooleanSupplier clientGone) {
    if (pixels.length != imageSize) {
      throw new IllegalArgumentException("expected " + imageSize + " floats, got " + pixels.length);
    }
    if (!accepting) {
      throw shuttingDown();
    }
    Hop.mark("submitted");
    Observation parent = observations.current();
    Job job =
        new Job(
            pixels,
            features,
            deadline,
            nanoClock.getAsLong(),
            clientGone,
            parent,
            observations.queued(parent));
    if (!queue.offer(job)) {
      throw new IllegalStateException("queue full despite a reserved place");
    }
    deadlines.watch(job);
    // Answered however it ends: a row, a failure, a deadline, or a waiter that cancelled.
    job.result().whenComplete((result, failure) -> inFlight.decrementAndGet());
    return job.result();
  }

  /**
   * Runs one image's session call on the caller's thread when that is what a worker would do next
   * anyway — batches never wait, the queue is empty and a slot is free — saving the hand-off to a
   * worker and back; else queues it as {@link #enqueue} does. Either way its place is used. The
   * inline job's fate is decided at the start of its call exactly as a queued job's is (client
   * gone, deadline passed); it is not watched by the deadline timer, whose running grace would
   * release the waiting thread — here the waiting thread is the one running the call.
   */
  CompletableFuture<InferenceResult> runOrEnqueue(
      float[] pixels, boolean features, Deadline deadline, BooleanSupplier clientGone) {
    if (batchesNeverWait && pixels.length == imageSize && queue.isEmpty()) {
      BatchWorker spare = slots.tryBorrow();
      if (spare != null) {
        if (!accepting) {
          slots.giveBack(spare);
          throw shuttingDown();
        }
        Hop.mark("submitted");
        // No queue wait to observe: the call starts here.
        Job job =
            new Job(
                pixels,
                features,
                deadline,
                nanoClock.getAsLong(),
                clientGone,
                observations.current(),
                null);
        places.release();
        job.result().whenComplete((result, failure) -> inFlight.decrementAndGet());
        try {
          spare.execute(List.of(job));
        } catch (Throwable fatal) {
          // As a worker's death: reported, the slot lost, the image answered.
          slots.lose(spare);
          workerEnded(true);
          listener.workerDied(Thread.currentThread().getName() + " (inline)", fatal);
          job.result().completeExceptionally(new InferenceException("worker died", fatal));
          return job.result();
        }
        slots.giveBack(spare);
        return job.result();
      }
    }
    return enqueue(pixels, features, deadline, clientGone);
  }

  WorkerSlots slots() {
    return slots;
  }

  /** Gives back places a ticket did not use. */
  void release(int unused) {
    inFlight.addAndGet(-unused);
    places.release(unused);
  }

  /** The next job, waiting up to {@code nanos}; its place is free again once taken. */
  Job take(long nanos) throws InterruptedException {
    Job job = queue.poll(nanos, TimeUnit.NANOSECONDS);
    if (job != null) {
      places.release();
    }
    return job;
  }

  void drainInto(List<Job> batch, int maxBatchSize) {
    while (batch.size() < maxBatchSize) {
      Job job = queue.poll();
      if (job == null) {
        return;
      }
      places.release();
      batch.add(job);
    }
  }

  /** Workers keep going while admission is open or jobs are left to finish. */
  boolean hasWork() {
    return accepting || !queue.isEmpty();
  }

  void batchTook(long nanos) {
    lastBatchNanos = nanos;
  }

  void workerEnded(boolean died) {
    liveWorkers.decrementAndGet();
    if (!died) {
      failRemaining();
    }
  }

  /** Images waiting in the queue now. */
  int queueDepth() {
    return queue.size();
  }

  /** Images admitted and not yet answered: reserved, queued or running. */
  int imagesInFlight() {
    return inFlight.get();
  }

  /** Whether every worker thread is alive. */
  boolean healthy() {
    return liveWorkers.get() == settings.workers();
  }

  /** How long until the queue likely has room: one pass over it at the last batch's speed. */
  private Duration retryAfter() {
    int waiting = settings.queueCapacity() - places.availablePermits();
    long batches = (waiting + settings.maxBatchSize() - 1) / settings.maxBatchSize();
    return Duration.ofNanos(Math.max(1, batches) * lastBatchNanos / settings.workers());
  }

  static RejectedException shuttingDown() {
    return new RejectedException(
        Reason.SHUTTING_DOWN, "the service is shutting down", Duration.ofSeconds(1));
  }

  private void failRemaining() {
    Job job;
    while ((job = queue.poll()) != null) {
      places.release();
      job.dequeued();
      if (job.withdraw()) {
        job.result().completeExceptionally(shuttingDown());
      }
    }
  }

  /**
   * Stops taking work, lets the workers finish what is queued (up to 30 s), then stops them and the
   * timer.
   */
  @Override
  public void close() {
    accepting = false;
    long ends = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (Thread worker : workers) {
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(ends - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    workers.forEach(Thread::interrupt);
    failRemaining();
    // Inline calls run on request threads: the session must outlive them too.
    try {
      slots.drain(Math.max(0, ends - System.nanoTime()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    slots.close();
    deadlines.close();
  }
}
