package dev.classifier.inference;

import java.util.List;

/**
 * What the scheduler reports for metrics and health: executions and requests are counted apart
 * (their ratio is the mean batch size), queue time and compute time are timed apart, and a worker
 * that dies is reported so liveness can tell the orchestrator.
 */
public interface BatchListener {

  /** A session call ran {@code batchSize} images in {@code inferenceNanos}. */
  default void batchExecuted(int batchSize, long inferenceNanos) {}

  /** A job left the queue after {@code queueNanos}. */
  default void dequeued(long queueNanos) {}

  /** A queued job was dropped without inference because its client had disconnected. */
  default void clientGone() {}

  /**
   * An inference worker thread ended on an unexpected throwable; no session call runs on it again.
   */
  default void workerDied(String worker, Throwable cause) {}

  BatchListener NONE = new BatchListener() {};

  /**
   * One listener that tells each of {@code listeners}, in order: every listener bean hears every
   * event (metrics, liveness, and tests holding the warm-up).
   */
  static BatchListener all(List<BatchListener> listeners) {
    if (listeners.isEmpty()) {
      return NONE;
    }
    if (listeners.size() == 1) {
      return listeners.get(0);
    }
    return new BatchListener() {
      @Override
      public void batchExecuted(int batchSize, long inferenceNanos) {
        listeners.forEach(listener -> listener.batchExecuted(batchSize, inferenceNanos));
      }

      @Override
      public void dequeued(long queueNanos) {
        listeners.forEach(listener -> listener.dequeued(queueNanos));
      }

      @Override
      public void clientGone() {
        listeners.forEach(BatchListener::clientGone);
      }

      @Override
      public void workerDied(String worker, Throwable cause) {
        listeners.forEach(listener -> listener.workerDied(worker, cause));
      }
    };
  }
}
