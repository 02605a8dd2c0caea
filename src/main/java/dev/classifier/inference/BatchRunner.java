package dev.classifier.inference;

import java.util.List;

/** Runs one batch of images through the model; the scheduler's only view of ONNX Runtime. */
interface BatchRunner extends AutoCloseable {

  /**
   * @param images {@code imageSize} floats each, in the model's layout
   * @param features whether to fetch the feature-map output too
   */
  BatchOutput run(List<float[]> images, boolean features);

  @Override
  default void close() {}
}
