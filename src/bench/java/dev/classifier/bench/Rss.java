package dev.classifier.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The service's resident memory, read from {@code /proc/PID/status}: what the kernel charges the
 * process for, native ONNX Runtime arenas included, which no JVM metric shows.
 */
final class Rss {

  private Rss() {}

  /** VmRSS of {@code pid} in MiB. */
  static double mib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      throw new IllegalStateException("no VmRSS line for process " + pid);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the status of process " + pid + " (did the service die?)", e);
    }
  }

  /** Samples RSS on a daemon thread until closed; keeps the peak. */
  static final class Sampler implements AutoCloseable {
    private final long pid;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile double peak;

    Sampler(long pid, long periodMillis) {
      this.pid = pid;
      this.peak = mib(pid);
      this.thread =
          new Thread(
              () -> {
                while (running) {
                  peak = Math.max(peak, mib(pid));
                  try {
                    Thread.sleep(periodMillis);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "rss-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    double peakMib() {
      return Math.max(peak, mib(pid));
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }
  }
}
