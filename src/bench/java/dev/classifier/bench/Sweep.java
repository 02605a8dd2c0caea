package dev.classifier.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service under several configurations, each in a fresh process: start-up time, the first
 * requests after readiness, then 1, 4 and 8 closed-loop clients. Defaults are chosen from this, by
 * measurement.
 */
final class Sweep {

  /** One configuration: a name and the properties that make it. */
  record Config(String name, List<String> properties) {}

  /** What one configuration did. */
  record Row(
      Config config,
      long startupMillis,
      double firstMs,
      double coldMedianMs,
      LoadRun.Result one,
      LoadRun.Result four,
      LoadRun.Result eight) {}

  /** The request counts of each phase. */
  record Counts(int one, int four, int eight) {}

  private Sweep() {}

  static List<Row> run(
      Path jar,
      int port,
      List<String> javaOptions,
      List<Config> configs,
      byte[] image,
      Counts counts,
      Path logs)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    for (Config config : configs) {
      log("sweep: %s", config.name());
      try (ServiceProcess service =
          ServiceProcess.start(
              jar, port, javaOptions, config.properties(), logs.resolve(config.name() + ".log"))) {
        LoadRun load = new LoadRun(service.base().resolve("/v1/classify"), image);
        Cold cold = Cold.measure(load);
        LoadRun.Result one = load.run(1, counts.one(), Duration.ZERO, n -> {});
        LoadRun.Result four = load.run(4, counts.four(), Duration.ZERO, n -> {});
        LoadRun.Result eight = load.run(8, counts.eight(), Duration.ZERO, n -> {});
        log(
            "   ready in %d ms, first %.1f ms; 1 client %.1f ms; 4 clients %.2f/s; 8 clients %.2f/s",
            service.startupMillis(),
            cold.firstMs(),
            one.accepted().medianMs(),
            four.throughput(),
            eight.throughput());
        rows.add(
            new Row(
                config,
                service.startupMillis(),
                cold.firstMs(),
                cold.restMedianMs(),
                one,
                four,
                eight));
      }
    }
    return rows;
  }

  /** The first request after readiness, and the median of the nine after it. */
  record Cold(double firstMs, double restMedianMs) {

    static Cold measure(LoadRun load) throws InterruptedException {
      LoadRun.Result first = load.run(1, 1, Duration.ZERO, n -> {});
      LoadRun.Result rest = load.run(1, 9, Duration.ZERO, n -> {});
      return new Cold(first.accepted().medianMs(), rest.accepted().medianMs());
    }
  }

  private static void log(String format, Object... args) {
    System.err.printf("[bench] " + format + "%n", args);
  }
}
