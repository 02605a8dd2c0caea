package dev.classifier.inference;

/**
 * One image's output row and what it cost.
 *
 * @param scores probabilities, one per class
 * @param batchSize how many images shared the session call
 */
public record InferenceResult(
    float[] scores, long queueNanos, long inferenceNanos, int batchSize) {}
