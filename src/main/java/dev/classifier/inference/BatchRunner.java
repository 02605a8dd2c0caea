package dev.classifier.inference;

import java.nio.FloatBuffer;

/** Runs one batch of images through the model; the scheduler's only view of ONNX Runtime. */
@FunctionalInterface
interface BatchRunner {

  /**
   * @param input {@code batchSize} images back to back, positioned at 0
   * @return one row of raw scores per image, in input order
   */
  float[][] run(FloatBuffer input, int batchSize);

  /**
   * Runs one batch and, when {@code features} is set, fetches the model's feature output too.
   * Runners without one (tests) answer the scores only.
   */
  default BatchOutput run(FloatBuffer input, int batchSize, boolean features) {
    return new BatchOutput(run(input, batchSize), null);
  }
}
