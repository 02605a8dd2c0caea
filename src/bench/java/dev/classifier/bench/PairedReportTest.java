package dev.classifier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The paired section renders from figures whose ratios are known, so a format slip cannot end a
 * 30-minute run at its last step, and the verdicts follow the limits.
 */
class PairedReportTest {

  /** {@code n} pairs: service {@code serviceMs}, floor {@code rawMs}, session {@code sessionMs}. */
  private static Paired.Pairs pairs(
      int n, double serviceMs, double rawMs, double refMs, double sessionMs) {
    long[] service = new long[n];
    long[] raw = new long[n];
    long[] ref = new long[n];
    double[] session = new double[n];
    for (int i = 0; i < n; i++) {
      service[i] = (long) (serviceMs * 1e6);
      raw[i] = (long) (rawMs * 1e6);
      ref[i] = (long) (refMs * 1e6);
      session[i] = sessionMs;
    }
    return new Paired.Pairs(service, raw, ref, session);
  }

  private static PairedRuns.Run run(String model, double rawMs, double refMs, double fixedMs) {
    Hops.Step session =
        new Hops.Step(
            "session-start",
            "session-end",
            "container thread",
            "container thread",
            Latencies.of(new long[] {(long) (rawMs * 1e6)}));
    Hops.Step dispatch =
        new Hops.Step(
            "assembled",
            "completed",
            "container thread",
            "container thread",
            Latencies.of(new long[] {300_000}));
    Hops.Breakdown hops =
        new Hops.Breakdown(
            List.of(session, dispatch),
            Latencies.of(new long[] {(long) ((rawMs + fixedMs - 1) * 1e6)}),
            Map.of("inference worker", Latencies.of(new long[] {1_000_000})),
            1);
    return new PairedRuns.Run(
        model,
        pairs(20, rawMs + fixedMs, rawMs, refMs, rawMs),
        pairs(200, rawMs + fixedMs, rawMs, refMs, rawMs),
        new Paired.Windows(4, new double[] {20, 20}, new double[] {19.8, 19.8}, 0),
        new Paired.Windows(8, new double[] {20, 20}, new double[] {19.0, 19.0}, 0),
        pairs(60, 80, 75, 75, rawMs),
        Latencies.of(new long[] {25_000_000}),
        hops,
        Latencies.of(new long[] {(long) ((rawMs + fixedMs) * 1e6)}));
  }

  private final PairedRuns.Result result =
      new PairedRuns.Result(
          run("FP32", 50, 50, 2),
          run("INT8", 16, 50, 4),
          new WakeLatency.Result(
              Latencies.of(new long[] {40_000, 60_000}),
              Latencies.of(new long[] {150_000, 3_500_000}),
              Duration.ofMillis(20)));

  @Test
  void theTargetsAreJudgedOnThePairedRatios() {
    List<PairedReport.Target> targets = PairedReport.targets(result);

    assertThat(targets)
        .extracting(
            PairedReport.Target::name, PairedReport.Target::measured, PairedReport.Target::met)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "FP32, 1 client, 640x480: e2e ÷ raw", "1.040", true),
            org.assertj.core.groups.Tuple.tuple(
                "INT8, 1 client, 640x480: e2e ÷ raw", "1.250", false),
            org.assertj.core.groups.Tuple.tuple("INT8 ÷ FP32 at 1 client", "0.385", true),
            org.assertj.core.groups.Tuple.tuple(
                "INT8: fixed cost (e2e − session call), 1 client", "4.00 ms", true),
            org.assertj.core.groups.Tuple.tuple(
                "FP32, 8 clients: images/s ÷ raw parallel", "0.950", false),
            org.assertj.core.groups.Tuple.tuple(
                "FP32, 12 MP: e2e ÷ (raw inference + standalone decode)", "1.067", false));
  }

  @Test
  void theSectionRendersWithItsClosingNote() {
    String markdown = new PairedReport(result).markdown(9);

    assertThat(markdown)
        .startsWith(
            "## 9. Paired, drift-cancelling: the service against its raw floor request by request")
        .contains("| 1 client: e2e ÷ raw, per pair | 1.040 (p10 1.040, p90 1.040, n=200) |")
        .contains("### Every hop of one request, INT8")
        .contains("| assembled → completed | container thread | 300 | 300 | 1 |")
        .contains(
            "after 1 ms parked while the other computed, it ran 40 µs later at the median (p90 60"
                + " µs, max 60 µs); after 20 ms with both parked, as between one client's requests,"
                + " 150 µs (p90 3500 µs, max 3500 µs).")
        .contains("about 0.60 ms of the fixed cost at these medians")
        .contains("Paired ratios, this run: FP32 e2e ÷ raw 1.040, INT8 1.250; INT8 ÷ FP32 0.385;");
  }
}
