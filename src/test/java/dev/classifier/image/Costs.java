package dev.classifier.image;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * Measures what a piece of work costs the calling thread: CPU time and heap bytes allocated
 * (com.sun.management.ThreadMXBean), both immune to other work on a shared machine.
 */
final class Costs {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** The work's result or the exception it threw, and what it cost. */
  record Measured<T>(T value, RuntimeException thrown, long cpuNanos, long allocatedBytes) {

    double cpuMillis() {
      return cpuNanos / 1e6;
    }

    double allocatedMib() {
      return allocatedBytes / 1048576.0;
    }
  }

  private Costs() {}

  static <T> Measured<T> of(Supplier<T> work) {
    long id = Thread.currentThread().getId();
    long cpu = THREADS.getCurrentThreadCpuTime();
    long allocated = THREADS.getThreadAllocatedBytes(id);
    T value = null;
    RuntimeException thrown = null;
    try {
      value = work.get();
    } catch (RuntimeException e) {
      thrown = e;
    }
    return new Measured<>(
        value,
        thrown,
        THREADS.getCurrentThreadCpuTime() - cpu,
        THREADS.getThreadAllocatedBytes(id) - allocated);
  }
}
