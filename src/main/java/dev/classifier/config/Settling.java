package dev.classifier.config;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Waits, up to a bound, until the JVM's own work after the warm-up is done: the JIT compilers have
 * worked through what the warm-up made hot and the collector has finished. Without it the first
 * clients' session calls shared the CPUs with C2 (143, 79, 54 ms for the first three on a 2-CPU
 * machine, against a 45 ms steady call). That work runs on threads Java code cannot see (compilers,
 * collector, VM thread), so it is measured as the process's CPU time less its Java threads': a
 * client or probe polling the service while it starts runs on Java threads and does not hold
 * readiness back. ONNX Runtime's native threads count too; the warm-up has stopped them by then.
 */
public final class Settling {

  /** Quiet means the JVM's own threads used at most this many CPUs over one window. */
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
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    return await(max, () -> jvmOwnCpuNanos(os, threads));
  }

  /**
   * The same wait against any meter of CPU nanoseconds, so that the decision can be tested without
   * depending on how much CPU a shared machine grants the collector in one window.
   */
  static Outcome await(Duration max, LongSupplier jvmOwnCpuNanos) {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    long cpu = jvmOwnCpuNanos.getAsLong();
    long at = start;
    while (System.nanoTime() < deadline) {
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(WINDOW.toNanos(), deadline - System.nanoTime()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long nowCpu = jvmOwnCpuNanos.getAsLong();
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

  /**
   * The CPU time of the process's threads that are not Java threads. A Java thread that ended since
   * the last call takes its time out of the sum, which can only make a window look busier.
   */
  private static long jvmOwnCpuNanos(
      com.sun.management.OperatingSystemMXBean os, com.sun.management.ThreadMXBean threads) {
    long process = os.getProcessCpuTime();
    long java = 0;
    for (long cpu : threads.getThreadCpuTime(threads.getAllThreadIds())) {
      java += Math.max(cpu, 0);
    }
    return process - java;
  }
}
