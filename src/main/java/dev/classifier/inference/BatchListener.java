package dev.classifier.inference;

/**
 * What the scheduler reports for metrics: executions and requests are counted apart (their ratio is
 * the mean batch size), queue time and compute time are timed apart.
 */
public interface BatchListener {

  /** A session call ran {@code batchSize} images in {@code inferenceNanos}. */
  default void batchExecuted(int batchSize, long inferenceNanos) {}

  /** A request left the queue after {@code queueNanos}. */
  default void dequeued(long queueNanos) {}

  BatchListener NONE = new BatchListener() {};
}
