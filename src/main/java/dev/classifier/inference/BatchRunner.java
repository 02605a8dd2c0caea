package dev.classifier.inference;

import java.util.List;

/** Runs one batch of images through the model; the scheduler's only view of ONNX Runtime. */
interface BatchRunner extends AutoCloseable {

  /**
   * @param images {@code imageSize} floats each, in the model's layout
   * @param features whether to fetch the feature-map output too
   * @param queuedBehind images still queued when this batch started: another worker is about to run
   *     beside this call, which an {@link AdaptiveRunner} answers by using one thread
   */
  BatchOutput run(List<float[]> images, boolean features, int queuedBehind);

  @Override
  default void close() {}
}
