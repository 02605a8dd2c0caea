package dev.classifier.bench;

import dev.classifier.inference.Spinning;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The drift-cancelling phase of the benchmark (issue 27), FP32 then INT8, each on a fresh service
 * with its twin sessions opened in this JVM before the service starts: the first requests after
 * readiness, steady 1-client pairs, alternating throughput windows at 4 and 8 clients, 12 MP pairs
 * against raw inference plus a standalone TurboJPEG decode, and a JFR recording of every hop of one
 * client's requests.
 */
final class PairedRuns {

  /** How many of each; {@code smoke} proves the harness. */
  record Counts(
      int pairs,
      int cold,
      int rounds,
      Duration window,
      int largePairs,
      int hopRequests,
      int wakes) {

    static Counts full() {
      return new Counts(200, 20, 6, Duration.ofSeconds(5), 60, 100, 300);
    }

    static Counts smoke() {
      return new Counts(20, 20, 1, Duration.ofSeconds(2), 5, 20, 30);
    }
  }

  /** One model's paired figures. */
  record Run(
      String model,
      Paired.Pairs cold,
      Paired.Pairs steady,
      Paired.Windows four,
      Paired.Windows eight,
      Paired.Pairs large,
      Latencies decode,
      Hops.Breakdown hops,
      Latencies hopsClient) {}

  record Result(Run fp32, Run int8, WakeLatency.Result wake) {}

  private PairedRuns() {}

  static Result measure(
      Path jar,
      int port,
      List<String> javaOptions,
      Path fp32,
      Path int8,
      byte[] small,
      byte[] large,
      float[] pixels,
      Spinning spinning,
      Counts counts,
      Path work)
      throws Exception {
    Run f =
        run(
            "FP32",
            jar,
            port,
            javaOptions,
            fp32,
            fp32,
            small,
            large,
            pixels,
            spinning,
            counts,
            work);
    Run q =
        run(
            "INT8",
            jar,
            port,
            javaOptions,
            int8,
            fp32,
            small,
            large,
            pixels,
            spinning,
            counts,
            work);
    Benchmark.log("paired: waking a parked thread, %d times", counts.wakes());
    return new Result(f, q, WakeLatency.measure(counts.wakes(), Duration.ofMillis(20)));
  }

  private static Run run(
      String name,
      Path jar,
      int port,
      List<String> javaOptions,
      Path model,
      Path fp32,
      byte[] small,
      byte[] large,
      float[] pixels,
      Spinning spinning,
      Counts counts,
      Path work)
      throws Exception {
    Benchmark.log("paired %s: twin sessions, then a fresh service", name);
    boolean isReference = model.equals(fp32);
    try (Paired.Twin twin = new Paired.Twin(model, spinning, pixels);
        Paired.Twin reference = isReference ? null : new Paired.Twin(fp32, spinning, pixels);
        ServiceProcess service =
            ServiceProcess.start(
                jar,
                port,
                javaOptions,
                List.of("--classifier.model.path=" + model.toAbsolutePath()),
                work.resolve("paired-" + name.toLowerCase(java.util.Locale.ROOT) + ".log"))) {
      URI classify = service.base().resolve("/v1/classify");
      Paired.Floor raw = twin::time;
      Paired.Floor ref = reference == null ? raw : reference::time;
      Paired.Pairs cold = Paired.latency(classify, small, raw, ref, counts.cold());
      Paired.Pairs steady = Paired.latency(classify, small, raw, ref, counts.pairs());
      Benchmark.log(
          "   1 client: e2e ÷ raw %s; fixed cost %s ms",
          Paired.Spread.of(steady.ratios()).text("%.3f"),
          Paired.Spread.of(steady.fixedCostMs()).text("%.1f"));
      LoadRun load = new LoadRun(classify, small);
      Paired.Windows four = Paired.throughput(twin, load, 4, counts.window(), counts.rounds());
      Paired.Windows eight = Paired.throughput(twin, load, 8, counts.window(), counts.rounds());
      Benchmark.log(
          "   4 clients ÷ raw parallel %s; 8 clients %s",
          Paired.Spread.of(four.ratios()).text("%.3f"),
          Paired.Spread.of(eight.ratios()).text("%.3f"));
      Paired.Decode decode = decodeFloor(large, side(model));
      List<Long> decodes = new ArrayList<>();
      Paired.Floor largeFloor =
          () -> {
            long d = decode == null ? 0 : decode.time();
            decodes.add(d);
            return d + twin.time();
          };
      Paired.latency(classify, large, largeFloor, largeFloor, 2);
      decodes.clear();
      Paired.Pairs largePairs =
          Paired.latency(classify, large, largeFloor, largeFloor, counts.largePairs());
      Benchmark.log(
          "   12 MP: e2e ÷ (raw + decode) %s", Paired.Spread.of(largePairs.ratios()).text("%.3f"));
      Path jfr = work.resolve("hops-" + name.toLowerCase(java.util.Locale.ROOT) + ".jfr");
      Profile.start(service.pid(), jfr, Hops.settings(work));
      Latencies traced = spaced(classify, small, counts.hopRequests());
      Profile.stopRecording(service.pid());
      Hops.Breakdown hops = Hops.analyse(jfr);
      return new Run(
          name,
          cold,
          steady,
          four,
          eight,
          largePairs,
          Latencies.of(decodes.stream().mapToLong(Long::longValue).toArray()),
          hops,
          traced);
    }
  }

  /**
   * One client's requests 20 ms apart: each exchange has completed (its last hop marked) before the
   * next begins, so the recording splits into requests by order alone. Client-side nanoseconds of
   * the 200s.
   */
  private static Latencies spaced(URI classify, byte[] body, int requests) throws Exception {
    long[] nanos = new long[requests];
    int ok = 0;
    try (LeanHttpClient http = new LeanHttpClient(classify, "image/jpeg", body)) {
      for (int i = 0; i < requests; i++) {
        long start = System.nanoTime();
        LeanHttpClient.Response response = http.send();
        long took = System.nanoTime() - start;
        if (response.status() == 200) {
          nanos[ok++] = took;
        }
        Thread.sleep(20);
      }
    }
    return Latencies.of(java.util.Arrays.copyOf(nanos, ok));
  }

  /**
   * The standalone decode of the 12 MP JPEG, or null without TurboJPEG (then 12 MP is judged
   * against raw inference alone, and the decode column reads 0).
   */
  private static Paired.Decode decodeFloor(byte[] large, int side) throws Exception {
    try {
      return new Paired.Decode(large, 4000, 3000, side);
    } catch (IllegalStateException e) {
      Benchmark.log("   no standalone decode floor: %s", e.getMessage());
      return null;
    }
  }

  /** The model's input side (square input, NHWC or NCHW), from the graph. */
  private static int side(Path model) throws Exception {
    long[] shape = RawFloors.inputShape(model).shape();
    return (int) (shape[1] == 3 ? shape[2] : shape[1]);
  }
}
