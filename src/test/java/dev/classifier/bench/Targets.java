package dev.classifier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 4's targets, all ratios to the raw {@code session.run} median so they hold on any machine,
 * and for each missed one an explanation built from the stage timings the service reported.
 */
final class Targets {

  record Check(String name, String measured, String limit, boolean pass, String shortfall) {}

  private final Benchmark.Results r;
  private final int queueCapacity;
  private final double growthPercent;
  private final double rawMs;

  Targets(Benchmark.Results results, int queueCapacity, double growthPercent) {
    this.r = results;
    this.queueCapacity = queueCapacity;
    this.growthPercent = growthPercent;
    this.rawMs = results.raw().medianMs();
  }

  List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    double t2 = r.single().accepted().medianMs() / rawMs;
    checks.add(ratio("(2) median ÷ (1) median", t2, 1.08, true));
    double floorThroughput = 1000 / rawMs;
    double t3 = r.eight().throughput() / floorThroughput;
    checks.add(ratio("(3) throughput ÷ (1) single-stream throughput", t3, 0.95, false));
    int errors3 = r.eight().status429() + r.eight().status503() + r.eight().otherErrorCount();
    checks.add(
        new Check("(3) errors", Integer.toString(errors3), "0", errors3 == 0, errors3 + " errors"));
    int other4 = r.thirtyTwo().otherErrorCount();
    checks.add(
        new Check(
            "(4) errors other than 429/503",
            Integer.toString(other4),
            "0",
            other4 == 0,
            other4 + " " + r.thirtyTwo().otherErrors()));
    double limit4 = 1.2 * (queueCapacity + 1) * rawMs;
    double p99 = r.thirtyTwo().accepted().percentileMs(99);
    checks.add(
        new Check(
            "(4) accepted p99",
            fmt("%.0f ms", p99),
            fmt("1.2 × %d × %.1f = %.0f ms", queueCapacity + 1, rawMs, limit4),
            p99 <= limit4,
            fmt("by %.0f ms (%.0f %%)", p99 - limit4, 100 * (p99 / limit4 - 1))));
    double t5 = r.large().accepted().medianMs() / rawMs;
    checks.add(ratio("(5) 12 MP median ÷ (1) median", t5, 1.3, true));
    double peak =
        r.rss().values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    checks.add(
        new Check(
            "(6) peak RSS",
            fmt("%.0f MiB", peak),
            "1024 MiB",
            peak <= 1024,
            fmt("by %.0f MiB", peak - 1024)));
    checks.add(
        new Check(
            "(6) RSS growth over the long run (" + r.longRun().requests() + " requests)",
            fmt("%+.1f %%", growthPercent),
            "< 5 %",
            growthPercent < 5,
            fmt("by %.1f points", growthPercent - 5)));
    return checks;
  }

  private static Check ratio(String name, double value, double limit, boolean atMost) {
    boolean pass = atMost ? value <= limit : value >= limit;
    return new Check(
        name,
        fmt("%.3f", value),
        (atMost ? "≤ " : "≥ ") + limit,
        pass,
        fmt("by %.3f (%.1f %%)", Math.abs(value - limit), 100 * Math.abs(value / limit - 1)));
  }

  /** One sentence per missed target, with the numbers that say where the time or memory went. */
  List<String> explanations() {
    List<String> why = new ArrayList<>();
    List<Check> checks = checks();
    if (!checks.get(0).pass()) {
      LoadRun.ServerTimings s = r.single().server();
      double client = r.single().accepted().medianMs();
      why.add(
          fmt(
              "(2): the client median %.1f ms is %.1f ms over raw %.1f ms. The service reports decode %.1f + "
                  + "preprocess %.1f + queue %.1f + inference %.1f ms (server total %.1f); its inference is %+.1f ms "
                  + "vs raw, and HTTP, request reading, JSON and the client account for the other %.1f ms.",
              client,
              client - rawMs,
              rawMs,
              s.medianMs("decodeMs"),
              s.medianMs("preprocessMs"),
              s.medianMs("queueMs"),
              s.medianMs("inferenceMs"),
              s.medianMs("totalMs"),
              s.medianMs("inferenceMs") - rawMs,
              client - s.medianMs("totalMs")));
    }
    if (!checks.get(1).pass() || !checks.get(2).pass()) {
      LoadRun.ServerTimings s = r.eight().server();
      why.add(
          fmt(
              "(3): %.2f images/s vs %.2f for raw single-stream. With 8 clients the median session call takes "
                  + "%.1f ms vs %.1f raw (%+.0f %%): decode + preprocess (%.1f + %.1f ms per image, on request threads) "
                  + "run on the same %d CPUs as the %s intra-op threads and slow inference down; "
                  + "errors: 429 %d, 503 %d, other %s.",
              r.eight().throughput(),
              1000 / rawMs,
              s.medianMs("inferenceMs"),
              rawMs,
              100 * (s.medianMs("inferenceMs") / rawMs - 1),
              s.medianMs("decodeMs"),
              s.medianMs("preprocessMs"),
              r.machine().cpus(),
              r.settings().get("service").replaceAll(".*intra-op-threads=(\\d+).*", "$1"),
              r.eight().status429(),
              r.eight().status503(),
              r.eight().otherErrors()));
    }
    if (!checks.get(3).pass() || !checks.get(4).pass()) {
      LoadRun.ServerTimings s = r.thirtyTwo().server();
      why.add(
          fmt(
              "(4): accepted p99 %.0f ms; median queue wait %.1f ms and session call %.1f ms per request "
                  + "(a full queue of %d waits %d session calls); other errors %s.",
              r.thirtyTwo().accepted().percentileMs(99),
              s.medianMs("queueMs"),
              s.medianMs("inferenceMs"),
              queueCapacity,
              queueCapacity,
              r.thirtyTwo().otherErrors()));
    }
    if (!checks.get(5).pass()) {
      LoadRun.ServerTimings s = r.large().server();
      why.add(
          fmt(
              "(5): the 12 MP median %.1f ms = decode %.1f + preprocess %.1f + inference %.1f ms + %.1f ms "
                  + "of HTTP and upload of the JPEG; decode is what a larger image adds.",
              r.large().accepted().medianMs(),
              s.medianMs("decodeMs"),
              s.medianMs("preprocessMs"),
              s.medianMs("inferenceMs"),
              r.large().accepted().medianMs() - s.medianMs("totalMs")));
    }
    if (!checks.get(6).pass() || !checks.get(7).pass()) {
      why.add(
          fmt(
              "(6): peak RSS %.0f MiB, long-run growth %+.1f %% from the first checkpoint (samples in the memory "
                  + "table). RSS is the JVM heap as far as it has grown (capped by -Xmx, else up to 1/4 of RAM), the JVM's own "
                  + "memory, and ONNX Runtime's weights and arena; service JVM options: %s.",
              r.rss().values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
              growthPercent,
              r.settings().get("service").replaceAll(".*JVM options: ", "")));
    }
    if (Math.max(r.loadBefore(), r.loadAfter()) > r.machine().cpus()) {
      why.add(
          fmt(
              "The load average (%.1f before, %.1f after) exceeded the %d CPUs: other processes competed for "
                  + "the CPUs, so every timing above is inflated and the ratios are noisy.",
              r.loadBefore(), r.loadAfter(), r.machine().cpus()));
    }
    return why;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
