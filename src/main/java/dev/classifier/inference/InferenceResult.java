package dev.classifier.inference;

/**
 * One image's output row and what it cost.
 *
 * @param scores probabilities, one per class
 * @param batchSize how many images shared the session call
 * @param features the image's feature map when it was submitted for explanation, else null
 */
public record InferenceResult(
    float[] scores, long queueNanos, long inferenceNanos, int batchSize, FeatureMap features) {

  public InferenceResult(float[] scores, long queueNanos, long inferenceNanos, int batchSize) {
    this(scores, queueNanos, inferenceNanos, batchSize, null);
  }
}
