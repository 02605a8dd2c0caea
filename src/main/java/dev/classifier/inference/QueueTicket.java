package dev.classifier.inference;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** The queue places one request reserved at admission; unused places go back when it is closed. */
final class QueueTicket implements Inference.Admission {

  private final BatchScheduler scheduler;
  private final int reserved;
  private int unused;

  QueueTicket(BatchScheduler scheduler, int places) {
    this.scheduler = scheduler;
    this.reserved = places;
    this.unused = places;
  }

  @Override
  public synchronized CompletableFuture<InferenceResult> submit(
      float[] pixels, boolean features, Deadline deadline, BooleanSupplier clientGone) {
    if (unused == 0) {
      throw new IllegalStateException("the ticket's places are used up");
    }
    CompletableFuture<InferenceResult> result =
        scheduler.enqueue(pixels, features, deadline, clientGone);
    unused--;
    return result;
  }

  /**
   * A request of one image may run it on its own thread ({@link BatchScheduler#runOrEnqueue}); the
   * images of a larger request are queued, so that idle workers run them side by side.
   */
  @Override
  public synchronized CompletableFuture<InferenceResult> submitOrRun(
      float[] pixels, boolean features, Deadline deadline, BooleanSupplier clientGone) {
    if (reserved != 1 || unused != 1) {
      return submit(pixels, features, deadline, clientGone);
    }
    CompletableFuture<InferenceResult> result =
        scheduler.runOrEnqueue(pixels, features, deadline, clientGone);
    unused--;
    return result;
  }

  @Override
  public synchronized void close() {
    scheduler.release(unused);
    unused = 0;
  }
}
