package dev.classifier.inference;

/**
 * The batching rule, as pure functions of the clock so it is tested without threads or sleeps: a
 * worker blocks for the first job, then keeps gathering for at most {@code maxQueueDelay} after
 * taking it, or until {@code maxBatchSize} jobs are in hand; at the start of the session call each
 * job is run, or skipped because its client went away or its deadline passed while it waited.
 */
record BatchPolicy(int maxBatchSize, long maxQueueDelayNanos) {

  static BatchPolicy of(BatchSettings settings) {
    return new BatchPolicy(settings.maxBatchSize(), settings.maxQueueDelay().toNanos());
  }

  /** What happens to a queued job when its batch starts. */
  enum Disposition {
    RUN,
    /** Cancelled: the client went away or the waiter gave up; no inference spent on it. */
    SKIP,
    /** Still queued at its deadline: answered 503 without being run. */
    EXPIRE
  }

  /**
   * How much longer to gather after the first job of the batch was taken at {@code firstTakenAt}; 0
   * means run the batch now.
   */
  long gatherNanos(int batched, long firstTakenAt, long now) {
    if (batched >= maxBatchSize) {
      return 0;
    }
    return Math.max(0, firstTakenAt + maxQueueDelayNanos - now);
  }

  Disposition disposition(boolean abandoned, Deadline deadline, long batchStart) {
    if (abandoned) {
      return Disposition.SKIP;
    }
    return deadline.passed(batchStart) ? Disposition.EXPIRE : Disposition.RUN;
  }
}
