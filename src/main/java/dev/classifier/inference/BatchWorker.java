package dev.classifier.inference;

import dev.classifier.inference.BatchPolicy.Disposition;
import dev.classifier.inference.RejectedException.Reason;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inference worker thread's loop: gather a batch from the scheduler's queue by {@link
 * BatchPolicy}, decide each job's fate at the start of the call, run the live ones in one session
 * call through this worker's own runner, and answer each with its row. A throwable that escapes (an
 * Error from native code, a bug) ends the worker and is reported, never swallowed.
 */
final class BatchWorker implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);
  private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final BatchScheduler scheduler;
  private final BatchRunner runner;
  private final BatchPolicy policy;
  private final int maxBatchSize;
  private final LongSupplier nanoClock;
  private final BatchListener listener;
  private final DeadlineTimer deadlines;
  private final BatchObservations observations;

  BatchWorker(
      BatchScheduler scheduler,
      BatchRunner runner,
      BatchPolicy policy,
      LongSupplier nanoClock,
      BatchListener listener,
      DeadlineTimer deadlines,
      BatchObservations observations) {
    this.scheduler = scheduler;
    this.runner = runner;
    this.policy = policy;
    this.maxBatchSize = policy.maxBatchSize();
    this.nanoClock = nanoClock;
    this.listener = listener;
    this.deadlines = deadlines;
    this.observations = observations;
  }

  @Override
  public void run() {
    List<Job> batch = new ArrayList<>(maxBatchSize);
    try (runner) {
      while (scheduler.hasWork()) {
        try {
          collect(batch);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        if (!batch.isEmpty()) {
          try {
            scheduler.slots().acquire();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.forEach(
                job -> {
                  if (job.withdraw()) {
                    job.result().completeExceptionally(BatchScheduler.shuttingDown());
                  }
                });
            break;
          }
          try {
            execute(batch);
          } finally {
            scheduler.slots().release();
          }
          batch.clear();
        }
      }
    } catch (Throwable fatal) {
      // Say so first, so liveness reports it before anyone waiting on this batch sees the failure,
      // then answer what the worker held.
      scheduler.workerEnded(true);
      log.error("inference worker {} died", Thread.currentThread().getName(), fatal);
      listener.workerDied(Thread.currentThread().getName(), fatal);
      batch.forEach(
          job -> job.result().completeExceptionally(new InferenceException("worker died", fatal)));
      return;
    }
    scheduler.workerEnded(false);
  }

  /** Blocks for the first job, then gathers more as {@link BatchPolicy#gatherNanos} allows. */
  private void collect(List<Job> batch) throws InterruptedException {
    Job first = scheduler.take(IDLE_POLL_NANOS);
    if (first == null) {
      return;
    }
    batch.add(first);
    long firstTakenAt = nanoClock.getAsLong();
    while (true) {
      long gather = policy.gatherNanos(batch.size(), firstTakenAt, nanoClock.getAsLong());
      if (gather == 0) {
        scheduler.drainInto(batch, maxBatchSize);
        return;
      }
      Job next = scheduler.take(gather);
      if (next == null) {
        return;
      }
      batch.add(next);
    }
  }

  /**
   * Decides each job's fate, runs the live ones and answers every one; on the worker's thread, or
   * on a request thread that borrowed this worker as a spare ({@link WorkerSlots}) for its own
   * image. The caller holds a slot.
   */
  void execute(List<Job> batch) {
    long start = nanoClock.getAsLong();
    List<Job> live = new ArrayList<>(batch.size());
    boolean features = false;
    for (Job job : batch) {
      job.dequeued();
      listener.dequeued(start - job.enqueuedNanos());
      boolean waiterGone = job.result().isDone();
      boolean clientGone = !waiterGone && job.clientGone();
      Disposition disposition = policy.disposition(waiterGone || clientGone, job.deadline(), start);
      if (disposition == Disposition.RUN && job.start()) {
        live.add(job);
        features |= job.wantsFeatures();
      } else if (job.withdraw()) {
        if (disposition == Disposition.EXPIRE) {
          job.result().completeExceptionally(deadlines.expired());
        } else if (clientGone) {
          listener.clientGone();
          job.result()
              .completeExceptionally(
                  new RejectedException(
                      Reason.CLIENT_GONE, "the client disconnected", Duration.ZERO));
        }
      }
    }
    if (!live.isEmpty()) {
      run(live, features, start);
    }
  }

  /** Frees the runner's tensors, for a spare that never runs a loop of its own. */
  void closeRunner() {
    runner.close();
  }

  private void run(List<Job> live, boolean features, long start) {
    Observation[] calls = observations.sessionCall(live);
    boolean ended = false;
    try {
      Hop.mark("session-start");
      BatchOutput output =
          runner.run(
              live.stream().map(Job::pixels).toList(),
              features,
              scheduler.imagesInFlight() - live.size());
      Hop.mark("session-end");
      long inferenceNanos = nanoClock.getAsLong() - start;
      // Ended before the answers go out, so no request's span closes before its children.
      ended = true;
      endAll(calls, null);
      scheduler.batchTook(inferenceNanos);
      listener.batchExecuted(live.size(), inferenceNanos);
      for (int i = 0; i < live.size(); i++) {
        Job job = live.get(i);
        float[] featureRow =
            output.features() != null && job.wantsFeatures() ? output.features()[i] : null;
        job.result()
            .complete(
                new InferenceResult(
                    output.scores()[i],
                    featureRow,
                    start - job.enqueuedNanos(),
                    inferenceNanos,
                    live.size()));
      }
    } catch (RuntimeException e) {
      if (!ended) {
        endAll(calls, e);
      }
      log.error("inference of a batch of {} failed", live.size(), e);
      live.forEach(job -> job.result().completeExceptionally(e));
    }
  }

  private static void endAll(Observation[] calls, Throwable failure) {
    for (Observation call : calls) {
      BatchObservations.stop(call, failure);
    }
  }
}
