package dev.classifier.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The report's drift-cancelling section (issue 27): the paired ratios of FP32 and INT8, the hops of
 * one request, and every issue-27 target judged on the paired ratios, with the steps that cost the
 * most where one is missed.
 */
final class PairedReport {

  /** The section's number in docs/benchmarks.md; a run of only this phase replaces it there. */
  static final int SECTION = 9;

  /** One issue-27 target. */
  record Target(String name, String measured, String limit, boolean met, String why) {}

  private final PairedRuns.Result r;
  private final StringBuilder md = new StringBuilder();

  PairedReport(PairedRuns.Result result) {
    this.r = result;
  }

  String markdown(int section) {
    line(
        "## %d. Paired, drift-cancelling: the service against its raw floor request by request",
        section);
    line("");
    line(
        "Each figure is the median of per-pair ratios with its spread (p10–p90): a raw"
            + " `session.run` on a twin session in the benchmark's JVM (the same model file, the"
            + " service's own session options: every CPU for a call alone), then one HTTP request"
            + " to the service, alternating, so that drift on the shared machine hits both sides of"
            + " every ratio alike. Throughput alternates 5 s windows of raw parallel calls (one"
            + " single-threaded call per CPU, as adaptive threading runs a busy service) with"
            + " windows of 4 or 8 clients. Fixed cost is the client's e2e minus the session call"
            + " the service itself timed (`inferenceMs`). The first 20 requests are the first"
            + " after readiness of a fresh service. 12 MP pairs the request with raw inference"
            + " plus a standalone TurboJPEG decode of the same file (the service's binding,"
            + " DCT-scaled as the service decodes, none of its checks). Today's unpaired figures"
            + " are in §3 and §7.");
    line("");
    line("| | FP32 | INT8 |");
    line("|---|---|---|");
    row("1 client: e2e ÷ raw, per pair", run -> spread(run.steady().ratios(), "%.3f"));
    row(
        "1 client: e2e / raw medians, ms",
        run ->
            fmt("%.1f / %.1f", run.steady().service().medianMs(), run.steady().raw().medianMs()));
    row(
        "1 client: session call in the service ÷ raw twin, per pair",
        run -> spread(run.steady().sessionRatios(), "%.3f"));
    row(
        "fixed cost (e2e − the service's session call), ms",
        run -> spread(run.steady().fixedCostMs(), "%.2f"));
    row(
        "first 20 after readiness: e2e median ÷ steady e2e median",
        run -> fmt("%.3f", firstTwentyPlain(run)));
    row(
        "first 20 after readiness: paired ratio median ÷ steady paired median",
        run -> fmt("%.3f", firstTwentyPaired(run)));
    row(
        "4 clients: images/s ÷ raw parallel, per window",
        run -> spread(run.four().ratios(), "%.3f") + windows(run.four()));
    row(
        "8 clients: images/s ÷ raw parallel, per window",
        run -> spread(run.eight().ratios(), "%.3f") + windows(run.eight()));
    row(
        "12 MP (4000x3000 JPEG): e2e ÷ (raw inference + standalone decode), per pair",
        run -> spread(run.large().ratios(), "%.3f"));
    row(
        "12 MP: e2e / raw + decode / decode alone, medians ms",
        run ->
            fmt(
                "%.1f / %.1f / %.1f",
                run.large().service().medianMs(),
                run.large().raw().medianMs(),
                run.decode().medianMs()));
    line("| INT8 ÷ FP32 at 1 client (both ÷ the FP32 twin, per pair) | | %.3f |", int8OverFp32());
    line("");
    hops(r.fp32());
    hops(r.int8());
    wakes(r.wake());
    targets();
    closing();
    return md.toString();
  }

  private void hops(PairedRuns.Run run) {
    Hops.Breakdown b = run.hops();
    line(
        "### Every hop of one request, %s (JFR, one client, requests 20 ms apart, %d traced)",
        run.model(), b.requests());
    line("");
    line(
        "The service's `dev.classifier.Hop` JFR events (free unless a recording enables them) mark"
            + " each stage on the thread that reached it; a step between two threads is a"
            + " hand-off. In-process marks rather than sampling: a wall-clock sampler at 20 ms"
            + " cannot resolve hops of tens of microseconds, and the marks land in the same"
            + " recording as the JVM's thread-park events (threshold 0) that say where a thread"
            + " waited.");
    line("");
    line("| from → to | thread(s) | median µs | p90 µs | requests |");
    line("|---|---|---|---|---|");
    for (Hops.Step step : b.steps()) {
      line(
          "| %s → %s | %s | %.0f | %.0f | %d |",
          step.from(),
          step.to(),
          step.handOff()
              ? "**hand-off** " + step.fromThread() + " → " + step.toThread()
              : step.fromThread(),
          step.nanos().medianMs() * 1000,
          step.nanos().percentileMs(90) * 1000,
          step.nanos().count());
    }
    line("");
    double client = run.hopsClient().medianMs();
    double traced = b.traced().medianMs();
    line(
        "Traced from the filter chain's start to the exchange's completion: %.2f ms at the"
            + " median; the client saw %.2f ms, so %.2f ms lie outside the trace (the client,"
            + " loopback, Tomcat reading the request head before the filters and writing the"
            + " last bytes after completion).",
        traced, client, client - traced);
    if (!b.parkedByRole().isEmpty()) {
      line(
          "Parked inside a request (jdk.ThreadPark + jdk.JavaMonitorWait), median per request: %s.",
          b.parkedByRole().entrySet().stream()
              .map(e -> fmt("%s %.2f ms", e.getKey(), e.getValue().medianMs()))
              .collect(Collectors.joining(", ")));
    }
    line("");
  }

  private void wakes(WakeLatency.Result wake) {
    line("### What a hand-off between threads costs on this machine");
    line("");
    line(
        "A thread parked on a queue, handed work by another (the benchmark's JVM, %d times each):"
            + " after 1 ms parked while the other computed, it ran %.0f µs later at the median"
            + " (p90 %.0f µs, max %.0f µs); after %d ms with both parked, as between one client's"
            + " requests, %.0f µs (p90 %.0f µs, max %.0f µs). A request crosses four hand-offs no"
            + " server can remove (the client's bytes waking the socket poller, the poller passing"
            + " the connection to a container thread, the response waking the client, ONNX"
            + " Runtime waking its intra-op thread for the session call): about %.2f ms of the"
            + " fixed cost at these medians, more when the host is slow to run an idle vCPU"
            + " again.",
        wake.afterWork().count(),
        wake.afterWork().medianMs() * 1000,
        wake.afterWork().percentileMs(90) * 1000,
        wake.afterWork().percentileMs(100) * 1000,
        wake.idle().toMillis(),
        wake.afterIdle().medianMs() * 1000,
        wake.afterIdle().percentileMs(90) * 1000,
        wake.afterIdle().percentileMs(100) * 1000,
        4 * wake.afterIdle().medianMs());
    line("");
  }

  private void targets() {
    List<Target> targets = targets(r);
    line("### Issue 27 targets, judged on the paired ratios");
    line("");
    line("| target | measured | limit | verdict | where the time goes, if missed |");
    line("|---|---|---|---|---|");
    for (Target t : targets) {
      line(
          "| %s | %s | %s | %s | %s |",
          t.name(),
          t.measured(),
          t.limit(),
          t.met() ? "met" : "**missed**",
          t.met() ? "" : t.why());
    }
    line("");
  }

  private void closing() {
    List<Target> targets = targets(r);
    long met = targets.stream().filter(Target::met).count();
    line("### Closing note");
    line("");
    line(
        "Paired ratios, this run: FP32 e2e ÷ raw %.3f, INT8 %.3f; INT8 ÷ FP32 %.3f; fixed cost"
            + " %.2f ms (FP32), %.2f ms (INT8); first 20 ÷ steady %.3f (FP32), %.3f (INT8); 4 and"
            + " 8 clients ÷ raw parallel %.3f and %.3f (FP32), %.3f and %.3f (INT8); 12 MP ÷ (raw +"
            + " decode) %.3f. %d of %d issue-27 targets met.",
        Paired.Spread.of(r.fp32().steady().ratios()).median(),
        Paired.Spread.of(r.int8().steady().ratios()).median(),
        int8OverFp32(),
        Paired.Spread.of(r.fp32().steady().fixedCostMs()).median(),
        Paired.Spread.of(r.int8().steady().fixedCostMs()).median(),
        firstTwentyPaired(r.fp32()),
        firstTwentyPaired(r.int8()),
        Paired.Spread.of(r.fp32().four().ratios()).median(),
        Paired.Spread.of(r.fp32().eight().ratios()).median(),
        Paired.Spread.of(r.int8().four().ratios()).median(),
        Paired.Spread.of(r.int8().eight().ratios()).median(),
        Paired.Spread.of(r.fp32().large().ratios()).median(),
        met,
        targets.size());
    line("");
  }

  static List<Target> targets(PairedRuns.Result r) {
    List<Target> targets = new ArrayList<>();
    for (PairedRuns.Run run : List.of(r.fp32(), r.int8())) {
      double limit = run == r.fp32() ? 1.05 : 1.12;
      double ratio = Paired.Spread.of(run.steady().ratios()).median();
      targets.add(
          new Target(
              run.model() + ", 1 client, 640x480: e2e ÷ raw",
              fmt("%.3f", ratio),
              "≤ " + limit,
              ratio <= limit,
              fixedCostWhy(run)));
    }
    double q = int8OverFp32(r);
    targets.add(
        new Target(
            "INT8 ÷ FP32 at 1 client",
            fmt("%.3f", q),
            "≤ 0.40",
            q <= 0.40,
            fmt(
                "INT8 session call ÷ FP32 raw %.3f leaves %.3f for the fixed cost; %s",
                Paired.Spread.of(
                        divide(r.int8().steady().inferenceMs(), r.int8().steady().referenceNanos()))
                    .median(),
                0.40
                    - Paired.Spread.of(
                            divide(
                                r.int8().steady().inferenceMs(),
                                r.int8().steady().referenceNanos()))
                        .median(),
                fixedCostWhy(r.int8()))));
    for (PairedRuns.Run run : List.of(r.fp32(), r.int8())) {
      double fixed = Paired.Spread.of(run.steady().fixedCostMs()).median();
      targets.add(
          new Target(
              run.model() + ": fixed cost (e2e − session call), 1 client",
              fmt("%.2f ms", fixed),
              "≤ 4 ms",
              fixed <= 4,
              fixedCostWhy(run)));
      double first = firstTwentyPaired(run);
      targets.add(
          new Target(
              run.model() + ": first 20 after readiness ÷ steady (paired medians)",
              fmt("%.3f (unpaired %.3f)", first, firstTwentyPlain(run)),
              "≤ 1.1",
              first <= 1.1,
              fmt(
                  "first 20: session call %.1f ms vs steady %.1f ms at the median (JIT or arena"
                      + " work still landing on requests), e2e %.1f vs %.1f ms",
                  median(run.cold().inferenceMs()),
                  median(run.steady().inferenceMs()),
                  run.cold().service().medianMs(),
                  run.steady().service().medianMs())));
      for (Paired.Windows w : List.of(run.four(), run.eight())) {
        double t = Paired.Spread.of(w.ratios()).median();
        targets.add(
            new Target(
                fmt("%s, %d clients: images/s ÷ raw parallel", run.model(), w.clients()),
                fmt("%.3f", t),
                "≥ 0.97",
                t >= 0.97,
                fmt(
                    "%.2f vs %.2f images/s at the median window; decode + preprocess run on the"
                        + " same CPUs as the calls (%.2f ms fixed cost per image at 1 client), %d"
                        + " refusals or errors",
                    median(w.servicePerSecond()),
                    median(w.rawPerSecond()),
                    Paired.Spread.of(run.steady().fixedCostMs()).median(),
                    w.errors())));
      }
    }
    double large = Paired.Spread.of(r.fp32().large().ratios()).median();
    targets.add(
        new Target(
            "FP32, 12 MP: e2e ÷ (raw inference + standalone decode)",
            fmt("%.3f", large),
            "≤ 1.05",
            large <= 1.05,
            fmt(
                "e2e %.1f ms = decode floor %.1f + session %.1f (service) + %.1f ms else: the"
                    + " upload of %s over loopback, the scan before decoding, the resize",
                r.fp32().large().service().medianMs(),
                r.fp32().decode().medianMs(),
                median(r.fp32().large().inferenceMs()),
                r.fp32().large().service().medianMs()
                    - r.fp32().decode().medianMs()
                    - median(r.fp32().large().inferenceMs()),
                "2.4 MB")));
    return targets;
  }

  /** The costliest non-model steps of the traced request, for a missed latency target. */
  static String fixedCostWhy(PairedRuns.Run run) {
    List<Hops.Step> steps = new ArrayList<>(run.hops().steps());
    steps.removeIf(s -> s.from().equals("session-start") && s.to().equals("session-end"));
    steps.sort(Comparator.comparingDouble((Hops.Step s) -> -s.nanos().medianMs()));
    String top =
        steps.stream()
            .limit(3)
            .map(
                s ->
                    fmt(
                        "%s → %s %.2f ms%s",
                        s.from(),
                        s.to(),
                        s.nanos().medianMs(),
                        s.handOff()
                            ? " (hand-off " + s.fromThread() + " → " + s.toThread() + ")"
                            : ""))
            .collect(Collectors.joining(", "));
    double outside = run.hopsClient().medianMs() - run.hops().traced().medianMs();
    return fmt(
        "fixed cost %.2f ms at the median; session call %.3f × the twin's; costliest steps: %s;"
            + " outside the trace %.2f ms",
        Paired.Spread.of(run.steady().fixedCostMs()).median(),
        Paired.Spread.of(run.steady().sessionRatios()).median(),
        top.isEmpty() ? "none traced" : top,
        outside);
  }

  static double firstTwentyPlain(PairedRuns.Run run) {
    return run.cold().service().medianMs() / run.steady().service().medianMs();
  }

  static double firstTwentyPaired(PairedRuns.Run run) {
    return Paired.Spread.of(run.cold().ratios()).median()
        / Paired.Spread.of(run.steady().ratios()).median();
  }

  private double int8OverFp32() {
    return int8OverFp32(r);
  }

  /** INT8 e2e ÷ FP32 e2e with both taken against the FP32 twin in their own pairs. */
  static double int8OverFp32(PairedRuns.Result r) {
    return Paired.Spread.of(r.int8().steady().referenceRatios()).median()
        / Paired.Spread.of(r.fp32().steady().ratios()).median();
  }

  private static double[] divide(double[] ms, long[] nanos) {
    double[] out = new double[ms.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = ms[i] * 1e6 / nanos[i];
    }
    return out;
  }

  private static double median(double[] values) {
    return Paired.Spread.of(values).median();
  }

  private static String windows(Paired.Windows w) {
    return fmt("; %.2f vs %.2f images/s", median(w.servicePerSecond()), median(w.rawPerSecond()));
  }

  private static String spread(double[] values, String format) {
    return Paired.Spread.of(values).text(format);
  }

  private void row(String name, java.util.function.Function<PairedRuns.Run, String> cell) {
    line("| %s | %s | %s |", name, cell.apply(r.fp32()), cell.apply(r.int8()));
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private void line(String format, Object... args) {
    md.append(fmt(format, args)).append('\n');
  }
}
