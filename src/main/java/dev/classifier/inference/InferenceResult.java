package dev.classifier.inference;

/**
 * One image's answer and what it cost.
 *
 * @param scores probabilities, one per class
 * @param features the image's feature map (channels x height x width, row-major) when it was asked
 *     for, else null
 * @param batchSize how many images shared the session call
 */
public record InferenceResult(
    float[] scores, float[] features, long queueNanos, long inferenceNanos, int batchSize) {}
