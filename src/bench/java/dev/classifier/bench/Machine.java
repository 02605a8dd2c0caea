package dev.classifier.bench;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the numbers were measured on, so a reader can tell a slow machine from a slow service. */
record Machine(int cpus, String cpuModel, double ramGib, String jdk, String onnxRuntime) {

  static Machine describe() {
    List<String> cpuinfo = lines("/proc/cpuinfo");
    String model =
        cpuinfo.stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .orElse("unknown");
    double ramGib =
        lines("/proc/meminfo").stream()
            .filter(l -> l.startsWith("MemTotal:"))
            .findFirst()
            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)
            .orElse(Double.NaN);
    String jdk =
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        model,
        ramGib,
        jdk,
        OrtEnvironment.getEnvironment().getVersion());
  }

  /** One line for a report: CPUs, model, memory, JDK and ONNX Runtime. */
  String summary() {
    return String.format(
        java.util.Locale.ROOT,
        "%d vCPU %s, %.0f GiB, %s, ONNX Runtime %s",
        cpus,
        cpuModel,
        ramGib,
        jdk,
        onnxRuntime);
  }

  /**
   * The 1-minute load average: above the CPU count means other work competed with the benchmark.
   */
  static double loadAverage() {
    List<String> loadavg = lines("/proc/loadavg");
    return loadavg.isEmpty() ? Double.NaN : Double.parseDouble(loadavg.get(0).split(" ")[0]);
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException e) {
      return List.of();
    }
  }
}
