package dev.classifier.config;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits, up to a bound, until the process has gone quiet after the warm-up: the JIT compilers have
 * worked through what the warm-up made hot and the collector has finished. Without it the first
 * clients' session calls shared the CPUs with C2 (143, 79, 54 ms for the first three on a 2-CPU
 * machine, against a 45 ms steady call).
 */
public final class Settling {

  /** Quiet means using at most this many CPUs over one window. */
  static final double QUIET_CPUS = 0.15;

  static final Duration WINDOW = Duration.ofMillis(100);

  /** How it ended: after how long, and whether the process was quiet by then. */
  public record Outcome(Duration waited, boolean quiet) {}

  private Settling() {}

  /**
   * Returns as soon as one {@link #WINDOW} used no more than {@link #QUIET_CPUS}, or at {@code
   * max}.
   */
  public static Outcome await(Duration max) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    long cpu = os.getProcessCpuTime();
    long at = start;
    while (System.nanoTime() < deadline) {
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(WINDOW.toNanos(), deadline - System.nanoTime()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long nowCpu = os.getProcessCpuTime();
      long now = System.nanoTime();
      boolean quiet = nowCpu - cpu <= QUIET_CPUS * (now - at);
      if (quiet) {
        return new Outcome(Duration.ofNanos(now - start), true);
      }
      cpu = nowCpu;
      at = now;
    }
    return new Outcome(Duration.ofNanos(System.nanoTime() - start), false);
  }
}
