package dev.classifier.inference;

import dev.classifier.inference.RejectedException.Reason;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers a job's waiter at its deadline when nothing else has: a job still queued then is
 * withdrawn (it will never run), a job whose batch is running gets {@code runningGrace} more. Every
 * wait on inference is bounded by these two numbers, whatever the worker does.
 */
final class DeadlineTimer implements AutoCloseable {

  private final ScheduledThreadPoolExecutor timer;
  private final LongSupplier nanoClock;
  private final Duration runningGrace;
  private final Supplier<Duration> retryAfter;

  DeadlineTimer(LongSupplier nanoClock, Duration runningGrace, Supplier<Duration> retryAfter) {
    this.nanoClock = nanoClock;
    this.runningGrace = runningGrace;
    this.retryAfter = retryAfter;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "inference-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    // Most jobs finish long before their deadline: drop their timers then, not at the deadline.
    timer.setRemoveOnCancelPolicy(true);
  }

  void watch(Job job) {
    long delay = Math.max(0, job.deadline().remainingNanos(nanoClock.getAsLong()));
    ScheduledFuture<?> atDeadline =
        timer.schedule(() -> atDeadline(job), delay, TimeUnit.NANOSECONDS);
    job.result().whenComplete((result, error) -> atDeadline.cancel(false));
  }

  private void atDeadline(Job job) {
    if (job.withdraw()) {
      job.result().completeExceptionally(expired());
    } else if (job.running()) {
      ScheduledFuture<?> afterGrace =
          timer.schedule(
              () -> job.result().completeExceptionally(overran()),
              runningGrace.toNanos(),
              TimeUnit.NANOSECONDS);
      job.result().whenComplete((result, error) -> afterGrace.cancel(false));
    }
  }

  RejectedException expired() {
    return new RejectedException(
        Reason.DEADLINE_EXCEEDED,
        "the request waited past its deadline in the queue",
        retryAfter.get());
  }

  private RejectedException overran() {
    return new RejectedException(
        Reason.DEADLINE_EXCEEDED,
        "inference did not finish within the request timeout and the running grace of "
            + runningGrace.toMillis()
            + " ms",
        retryAfter.get());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
