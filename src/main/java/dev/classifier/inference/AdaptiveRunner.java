package dev.classifier.inference;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker's runner under an adaptive {@link ThreadBudget}: a batch that is the only session call
 * and has nothing queued behind it runs on the session with every CPU; any other runs on the
 * single-threaded session, so overlapping calls (one worker per CPU) never share cores or wait on
 * each other's intra-op threads. The in-flight count is shared by every worker's runner.
 */
final class AdaptiveRunner implements BatchRunner {

  private final BatchRunner wide;
  private final BatchRunner single;
  private final AtomicInteger inFlight;

  /**
   * @param wide runs on the session whose intra-op threads cover every CPU
   * @param single runs on the single-threaded session
   * @param inFlight session calls in progress, shared by the runners of all workers
   */
  AdaptiveRunner(BatchRunner wide, BatchRunner single, AtomicInteger inFlight) {
    this.wide = wide;
    this.single = single;
    this.inFlight = inFlight;
  }

  @Override
  public BatchOutput run(List<float[]> images, boolean features, int queuedBehind) {
    boolean alone = inFlight.getAndIncrement() == 0 && queuedBehind == 0;
    try {
      return (alone ? wide : single).run(images, features, queuedBehind);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public void close() {
    wide.close();
    single.close();
  }
}
