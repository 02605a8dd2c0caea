package dev.classifier.inference;

import java.time.Duration;

/**
 * The dynamic batcher's knobs, named as in Triton. A zero {@code maxQueueDelay} means "batch
 * whatever is already waiting, never wait for more" — the right default on CPU, where batching does
 * not raise throughput.
 */
public record BatchSettings(
    int maxBatchSize, Duration maxQueueDelay, int queueCapacity, int workers) {}
