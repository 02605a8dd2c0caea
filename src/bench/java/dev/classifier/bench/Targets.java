package dev.classifier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The speed, memory and INT8 targets (issues 11, 13 and 15), each a ratio to the fastest raw floor
 * or to another figure of the same run so it holds on any machine, and for each missed one the
 * figures that say where the time or memory went.
 */
final class Targets {

  record Check(String name, String measured, String limit, boolean pass, String why) {}

  private final Benchmark.Results r;
  private final double rawMs;
  private final List<Check> checks = new ArrayList<>();

  Targets(Benchmark.Results results) {
    this.r = results;
    this.rawMs = results.floors().latencies().get(results.floors().fastest()).medianMs();
    Benchmark.MainRun m = r.main();
    double rawPerSecond = 1000 / rawMs;

    LoadRun.ServerTimings one = m.one().server();
    atMost(
        "1 client, 640x480: e2e median ÷ fastest raw median",
        m.one().accepted().medianMs() / rawMs,
        1.05,
        fmt(
            "client %.1f ms = server total %.1f (decode %.1f, preprocess %.1f, queue %.1f,"
                + " inference %.1f) + %.1f ms outside the service's timers (Tomcat, body, JSON,"
                + " the client); inference is %+.1f ms vs raw",
            m.one().accepted().medianMs(),
            one.medianMs("totalMs"),
            one.medianMs("decodeMs"),
            one.medianMs("preprocessMs"),
            one.medianMs("queueMs"),
            one.medianMs("inferenceMs"),
            m.one().accepted().medianMs() - one.medianMs("totalMs"),
            one.medianMs("inferenceMs") - rawMs));
    atMost(
        "1 client, 640x480: e2e median ÷ the fastest raw floor timed beside it",
        m.one().accepted().medianMs() / m.floorBesideOneMs(),
        1.05,
        fmt(
            "floor %.1f ms before the run and %.1f ms after it (%.1f ms at the start of the"
                + " benchmark); inference is %+.1f ms vs the floor beside it",
            m.floorBeside().get(Benchmark.MainRun.BEFORE_ONE).medianMs(),
            m.floorBeside().get(Benchmark.MainRun.AFTER_ONE).medianMs(),
            rawMs,
            one.medianMs("inferenceMs") - m.floorBesideOneMs()));
    atMost(
        "first request after readiness ÷ steady 1-client median",
        m.cold().firstMs() / m.one().accepted().medianMs(),
        1.3,
        fmt("first %.1f ms, steady %.1f ms", m.cold().firstMs(), m.one().accepted().medianMs()));
    check(
        "start-up to readiness (model present)",
        fmt("%.1f s", m.startupMillis() / 1000.0),
        "≤ 10 s",
        m.startupMillis() <= 10_000,
        fmt("the service's log: %s", m.startupSteps()));
    for (LoadRun.Result x : List.of(m.four(), m.eight())) {
      LoadRun.ServerTimings s = x.server();
      atLeast(
          x.clients() + " clients: images/s ÷ raw single-stream images/s",
          x.throughput() / rawPerSecond,
          0.97,
          fmt(
              "%.2f vs %.2f images/s; median session call %.1f ms at a median batch of %.0f;"
                  + " decode + preprocess %.1f + %.1f ms per image run on the same %d CPUs",
              x.throughput(),
              rawPerSecond,
              s.medianMs("inferenceMs"),
              s.medianMs("batchSize"),
              s.medianMs("decodeMs"),
              s.medianMs("preprocessMs"),
              r.machine().cpus()));
      atLeast(
          x.clients() + " clients: images/s ÷ raw single-stream images/s timed beside them",
          x.throughput() * m.floorBesideLoadMs() / 1000,
          0.97,
          fmt(
              "%.2f vs %.2f images/s (floor %.1f ms after 1 client, %.1f ms after 8 clients)",
              x.throughput(),
              1000 / m.floorBesideLoadMs(),
              m.floorBeside().get(Benchmark.MainRun.AFTER_ONE).medianMs(),
              m.floorBeside().get(Benchmark.MainRun.AFTER_EIGHT).medianMs()));
      RawFloors.Parallel parallel = r.parallel();
      atLeast(
          x.clients()
              + " clients: images/s ÷ raw parallel images/s ("
              + parallel.streams()
              + " single-threaded calls at once)",
          x.throughput() / parallel.imagesPerSecond(),
          0.97,
          fmt(
              "%.2f vs %.2f images/s: the stricter floor, ONNX Runtime's best throughput here",
              x.throughput(), parallel.imagesPerSecond()));
      int errors = x.status429() + x.status503() + x.otherErrorCount();
      check(
          x.clients() + " clients: errors",
          Integer.toString(errors),
          "0",
          errors == 0,
          fmt("429: %d, 503: %d, other: %s", x.status429(), x.status503(), x.otherErrors()));
    }
    LoadRun.ServerTimings large = m.large().server();
    atMost(
        "12 MP JPEG, 1 client: e2e median ÷ fastest raw median",
        m.large().accepted().medianMs() / rawMs,
        1.2,
        fmt(
            "%.1f ms = decode %.1f + preprocess %.1f + inference %.1f + %.1f ms of upload and"
                + " HTTP",
            m.large().accepted().medianMs(),
            large.medianMs("decodeMs"),
            large.medianMs("preprocessMs"),
            large.medianMs("inferenceMs"),
            m.large().accepted().medianMs() - large.medianMs("totalMs")));
    double refused = m.thirtyTwo().refused().medianMs();
    check(
        "32 clients: refusals (429/503) answered, median",
        fmt("%.1f ms", refused),
        "< 10 ms",
        refused < 10,
        "");
    int capacity = Benchmark.serviceDefaults().batching().queueCapacity();
    double p99Limit = 1.2 * (capacity + 1) * rawMs;
    double p99 = m.thirtyTwo().accepted().percentileMs(99);
    check(
        "32 clients: accepted p99",
        fmt("%.0f ms", p99),
        fmt("≤ 1.2 × (%d + 1) × %.1f = %.0f ms", capacity, rawMs, p99Limit),
        p99 <= p99Limit,
        fmt(
            "median queue wait %.0f ms, session call %.1f ms",
            m.thirtyTwo().server().medianMs("queueMs"),
            m.thirtyTwo().server().medianMs("inferenceMs")));
    for (LoadRun.Result x : List.of(m.thirtyTwo(), m.largeConcurrent(), m.longRun())) {
      check(
          x.clients()
              + " clients"
              + (x == m.largeConcurrent() ? ", 12 MP progressive" : "")
              + (x == m.longRun() ? ", long run" : "")
              + ": errors other than 429/503",
          Integer.toString(x.otherErrorCount()),
          "0",
          x.otherErrorCount() == 0,
          x.otherErrors().toString());
    }
    double peak = m.rss().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    check(
        "peak RSS",
        fmt("%.0f MiB", peak),
        "≤ 1024 MiB",
        peak <= 1024,
        fmt("by %.0f MiB; see the memory table", peak - 1024));
    double growth = Report.longRunGrowthPercent(m.longRunRss());
    check(
        "RSS growth over the long run (" + m.longRun().requests() + " requests)",
        fmt("%+.1f %%", growth),
        "< 5 %",
        growth < 5,
        "");
    if (r.int8() != null) {
      Benchmark.Int8Run q = r.int8();
      for (int i = 0; i < 2; i++) {
        LoadRun.Result fp32 = i == 0 ? m.four() : m.eight();
        LoadRun.Result int8 = i == 0 ? q.four() : q.eight();
        atLeast(
            "INT8 ÷ FP32 service throughput, " + fp32.clients() + " clients",
            int8.throughput() / fp32.throughput(),
            2.5,
            fmt(
                "%.2f vs %.2f images/s; INT8 session call %.1f ms, decode + preprocess %.1f ms",
                int8.throughput(),
                fp32.throughput(),
                int8.server().medianMs("inferenceMs"),
                int8.server().medianMs("decodeMs") + int8.server().medianMs("preprocessMs")));
      }
      atMost(
          "INT8 ÷ FP32 1-client median",
          q.one().accepted().medianMs() / m.one().accepted().medianMs(),
          0.4,
          fmt(
              "%.1f vs %.1f ms; INT8's fixed costs (decode, preprocess, HTTP: %.1f ms) do not"
                  + " shrink with the model",
              q.one().accepted().medianMs(),
              m.one().accepted().medianMs(),
              q.one().accepted().medianMs() - q.one().server().medianMs("inferenceMs")));
    }
  }

  List<Check> checks() {
    return checks;
  }

  private void atMost(String name, double value, double limit, String why) {
    check(name, fmt("%.3f", value), "≤ " + limit, value <= limit, why);
  }

  private void atLeast(String name, double value, double limit, String why) {
    check(name, fmt("%.3f", value), "≥ " + limit, value >= limit, why);
  }

  private void check(String name, String measured, String limit, boolean pass, String why) {
    checks.add(new Check(name, measured, limit, pass, why));
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
