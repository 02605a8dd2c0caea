package dev.classifier.image;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;

/**
 * Aborts an ImageIO read that has spent more than its CPU time allowance, checked whenever the
 * reader reports progress (per row or tile for every reader used here except the WebP lossless one)
 * and every few thousand reads from the input stream (which catches that one, and any reader stuck
 * reading). Thread CPU time, not wall time, so that a decode on a busy machine is not refused for
 * the time it waited for a processor. One instance per read, on the reading thread.
 */
final class DecodeDeadline implements IIOReadProgressListener {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Reading the thread CPU clock costs a system call; wall time gates it to every millisecond. */
  private static final long CHECK_INTERVAL_NANOS = 1_000_000;

  private final Duration limit;
  private final long limitNanos;
  private final boolean cpuClock;
  private final long started;
  private long lastCheck;
  private boolean checkedOnce;
  private boolean expired;

  DecodeDeadline(Duration limit) {
    this.limit = limit;
    this.limitNanos = limit.toNanos();
    this.cpuClock = THREADS.isCurrentThreadCpuTimeSupported();
    this.started = now();
  }

  private long now() {
    return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  private void check(ImageReader source) {
    long wall = System.nanoTime();
    if (checkedOnce && wall - lastCheck < CHECK_INTERVAL_NANOS) {
      return;
    }
    checkedOnce = true;
    lastCheck = wall;
    if (!expired && now() - started > limitNanos) {
      expired = true;
      source.abort();
    }
  }

  /**
   * Called by the stream the reader reads: past the limit, fails the read with an IIOException (not
   * an EOFException, which some readers swallow), and every later one.
   */
  void checkFromStream() throws javax.imageio.IIOException {
    if (!expired && now() - started > limitNanos) {
      expired = true;
    }
    if (expired) {
      throw new javax.imageio.IIOException("decode time limit exceeded");
    }
  }

  boolean expired() {
    return expired;
  }

  /** After the read: refuses the image if the read was aborted for taking too long. */
  void throwIfExpired(ImageFormat format) {
    if (expired) {
      throw ImageRejectedException.corrupt(
          format,
          "took longer than "
              + limit.toMillis()
              + " ms of CPU time to decode (classifier.image.max-decode-time)");
    }
  }

  @Override
  public void imageStarted(ImageReader source, int imageIndex) {
    check(source);
  }

  @Override
  public void imageProgress(ImageReader source, float percentageDone) {
    check(source);
  }

  @Override
  public void imageComplete(ImageReader source) {}

  @Override
  public void sequenceStarted(ImageReader source, int minIndex) {}

  @Override
  public void sequenceComplete(ImageReader source) {}

  @Override
  public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

  @Override
  public void thumbnailProgress(ImageReader source, float percentageDone) {}

  @Override
  public void thumbnailComplete(ImageReader source) {}

  @Override
  public void readAborted(ImageReader source) {}
}
