package dev.classifier.inference;

import io.micrometer.observation.Observation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One image on its way through the scheduler, and the future its request waits on. The state
 * machine makes "still queued" and "already running" exclusive, so a waiter that gives up at its
 * deadline withdraws a queued job for good, and a worker never starts a withdrawn one.
 */
final class Job {

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int WITHDRAWN = 2;

  private final float[] pixels;
  private final boolean wantsFeatures;
  private final Deadline deadline;
  private final long enqueuedNanos;
  private final BooleanSupplier clientGone;
  private final Observation parent;
  private final Observation queueWait;
  private final CompletableFuture<InferenceResult> result = new CompletableFuture<>();
  private final AtomicInteger state = new AtomicInteger(QUEUED);

  Job(
      float[] pixels,
      boolean wantsFeatures,
      Deadline deadline,
      long enqueuedNanos,
      BooleanSupplier clientGone) {
    this(pixels, wantsFeatures, deadline, enqueuedNanos, clientGone, null, null);
  }

  /**
   * @param parent the request's observation, or null when untraced
   * @param queueWait the started observation of this image's wait, stopped when it leaves the queue
   */
  Job(
      float[] pixels,
      boolean wantsFeatures,
      Deadline deadline,
      long enqueuedNanos,
      BooleanSupplier clientGone,
      Observation parent,
      Observation queueWait) {
    this.pixels = pixels;
    this.wantsFeatures = wantsFeatures;
    this.deadline = deadline;
    this.enqueuedNanos = enqueuedNanos;
    this.clientGone = clientGone;
    this.parent = parent;
    this.queueWait = queueWait;
  }

  Observation parent() {
    return parent;
  }

  /** Ends the queue wait's observation; once, when the job leaves the queue. */
  void dequeued() {
    BatchObservations.stop(queueWait, null);
  }

  float[] pixels() {
    return pixels;
  }

  boolean wantsFeatures() {
    return wantsFeatures;
  }

  Deadline deadline() {
    return deadline;
  }

  long enqueuedNanos() {
    return enqueuedNanos;
  }

  CompletableFuture<InferenceResult> result() {
    return result;
  }

  /** Whether the requester has disconnected (probes the connection: call once per decision). */
  boolean clientGone() {
    return clientGone.getAsBoolean();
  }

  /** Takes the job into a session call; false when it was withdrawn meanwhile. */
  boolean start() {
    return state.compareAndSet(QUEUED, RUNNING);
  }

  /** Withdraws a job that is still queued; false when a worker already started it. */
  boolean withdraw() {
    return state.compareAndSet(QUEUED, WITHDRAWN);
  }

  boolean running() {
    return state.get() == RUNNING;
  }
}
