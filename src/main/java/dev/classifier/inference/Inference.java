package dev.classifier.inference;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The inference package's door: the loaded model, and a queue that admits a request's images before
 * they are decoded and answers each with its probabilities. An interface so the API can be tested
 * against a fake.
 */
public interface Inference {

  /** What is being served; fixed once the model is loaded. */
  ModelInfo model();

  /** Whether the model is loaded and warmed up, so requests are taken. */
  boolean ready();

  /**
   * Reserves queue places for {@code images} images, so that decoding them is never wasted on a
   * request the queue would refuse.
   *
   * @throws RejectedException when not ready, shutting down, or the queue has no room
   */
  Admission admit(int images);

  /** Images waiting in the queue now. */
  int queueDepth();

  /**
   * Images admitted and not yet answered now: places reserved for a request being decoded, images
   * queued, and images in a running session call. Per pod, the load an autoscaler should follow.
   */
  int imagesInFlight();

  /** A request's reserved places; closing it returns those not used by {@link #submit}. */
  interface Admission extends AutoCloseable {

    /**
     * Queues one image on one of the reserved places.
     *
     * @param pixels {@link ModelSignature#imageSize()} floats in the model's layout
     * @param features whether to return the feature map as well (for class-activation maps)
     * @param deadline when the waiter gives up; a job still queued then is never run
     * @param clientGone asked before the image's batch runs: true drops it without inference
     */
    CompletableFuture<InferenceResult> submit(
        float[] pixels, boolean features, Deadline deadline, BooleanSupplier clientGone);

    /**
     * Like {@link #submit}, but when this admission holds a request's only image, batches never
     * wait, nothing is queued and a worker's slot is free, runs the session call on the caller's
     * thread in that slot and returns the answer already complete: no hand-off to a worker and
     * back. Client-gone and deadline checks at the start of the call are the queue's.
     */
    default CompletableFuture<InferenceResult> submitOrRun(
        float[] pixels, boolean features, Deadline deadline, BooleanSupplier clientGone) {
      return submit(pixels, features, deadline, clientGone);
    }

    @Override
    void close();
  }
}
