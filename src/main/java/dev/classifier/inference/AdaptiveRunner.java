package dev.classifier.inference;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker's runner under an adaptive {@link ThreadBudget}: a batch that is the only session call
 * and the only work admitted runs on the session with every CPU; any other runs on the
 * single-threaded session, so overlapping calls (one worker per CPU) never share cores or wait on
 * each other's intra-op threads. The in-flight count is shared by every worker's runner.
 *
 * <p>Admitted, not merely queued: an image still being decoded when a call starts is queued a few
 * milliseconds later and its call then overlaps this one. Counting only the queue, four clients on
 * two CPUs started wide calls that the next image's call then shared the CPUs with: fixed
 * single-threaded calls served 1.084 × the images per second (geometric mean of six alternating 8 s
 * windows, 2026-12-07, 2 vCPUs), and 0.972 × once admitted images counted.
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
  public BatchOutput run(List<float[]> images, boolean features, int othersInFlight) {
    boolean alone = inFlight.getAndIncrement() == 0 && othersInFlight == 0;
    try {
      return (alone ? wide : single).run(images, features, othersInFlight);
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
