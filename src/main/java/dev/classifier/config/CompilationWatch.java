package dev.classifier.config;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Whether the JIT is still compiling what the warm-up runs: the JVM's total compilation time,
 * compared between warm-up rounds. A round during which the compilers worked for more than {@link
 * #QUIET_MILLIS} made code hot that is being compiled now, so another round is due before the first
 * client comes, or that compilation lands on the first clients' requests (their session calls
 * shared the CPUs with C2: 130–180 ms against a 90 ms steady call on a 2-CPU machine).
 */
public final class CompilationWatch {

  /** A round that cost the compilers at most this much left nothing worth waiting for. */
  static final long QUIET_MILLIS = 5;

  private final LongSupplier totalMillis;
  private long last;

  CompilationWatch(LongSupplier totalMillis) {
    this.totalMillis = totalMillis;
    this.last = totalMillis.getAsLong();
  }

  /** The running JVM's compilers; a JVM that does not time them always counts as settled. */
  public static CompilationWatch jvm() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return new CompilationWatch(() -> 0);
    }
    return new CompilationWatch(jit::getTotalCompilationTime);
  }

  /**
   * Whether the compilers worked at most {@link #QUIET_MILLIS} since the last call (or since made).
   */
  public boolean settled() {
    long now = totalMillis.getAsLong();
    boolean quiet = now - last <= QUIET_MILLIS;
    last = now;
    return quiet;
  }
}
