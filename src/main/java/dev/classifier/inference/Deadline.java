package dev.classifier.inference;

import java.time.Duration;

/**
 * The one absolute time by which a request must have its answer, created when its body has arrived
 * and passed down unchanged: the queue drops a job still waiting then, and its waiter gives up then
 * (a batch already running gets {@code classifier.batching.running-grace} more).
 *
 * @param nanos on the {@link System#nanoTime()} scale
 */
public record Deadline(long nanos) {

  public static Deadline after(Duration timeout, long nowNanos) {
    return new Deadline(nowNanos + timeout.toNanos());
  }

  public boolean passed(long nowNanos) {
    return nowNanos - nanos >= 0;
  }

  public long remainingNanos(long nowNanos) {
    return nanos - nowNanos;
  }
}
