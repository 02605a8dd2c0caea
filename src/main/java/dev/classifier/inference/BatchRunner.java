package dev.classifier.inference;

import java.util.List;

/** Runs one batch of images through the model; the scheduler's only view of ONNX Runtime. */
interface BatchRunner extends AutoCloseable {

  /**
   * @param images {@code imageSize} floats each, in the model's layout
   * @param features whether to fetch the feature-map output too
   * @param othersInFlight images admitted besides this batch's when it started (queued, still being
   *     decoded, or running on another worker): another call is about to run beside this one, which
   *     an {@link AdaptiveRunner} answers by using one thread
   */
  BatchOutput run(List<float[]> images, boolean features, int othersInFlight);

  @Override
  default void close() {}
}
