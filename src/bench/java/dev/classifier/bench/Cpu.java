package dev.classifier.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time consumed by a process (user + system, all threads). On a shared machine wall-clock
 * latency includes waiting for a core; CPU time per image does not, so it compares the service with
 * raw ONNX Runtime even when the machine is busy.
 */
final class Cpu {

  private Cpu() {}

  /**
   * CPU milliseconds used so far by {@code pid}, from fields 14 and 15 of {@code /proc/PID/stat}.
   */
  static double millis(long pid, int clockTicksPerSecond) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces; the fields after its closing parenthesis start
      // at field 3.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 1000.0 / clockTicksPerSecond;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
    }
  }

  /** CPU milliseconds used so far by this JVM. */
  static double selfMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e6;
  }
}
