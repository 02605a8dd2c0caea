package dev.classifier.bench;

import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.TensorLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The issue-4 benchmark against a running service (started by {@code bench/run.sh}, which passes
 * its URL and PID): raw ONNX Runtime in this JVM while the service idles, then the service over
 * HTTP with 1, 8 and 32 clients, a 12-megapixel image, and a long run for memory growth. Writes the
 * Markdown report. Not a test: a main.
 */
public final class Benchmark {

  /**
   * Request counts and durations of one run; {@code smoke} proves the harness in about two minutes.
   */
  record Plan(
      int rawWarmUp,
      int rawRuns,
      int singleRequests,
      int eightRequests,
      Duration thirtyTwoFor,
      int largeRequests,
      int longRequests) {
    static Plan full(int longRequests) {
      return new Plan(20, 200, 200, 800, Duration.ofSeconds(60), 40, longRequests);
    }

    static Plan smoke(int longRequests) {
      return new Plan(3, 20, 20, 48, Duration.ofSeconds(12), 5, longRequests);
    }
  }

  /** Everything measured in one run, for the report. */
  record Results(
      Instant started,
      Machine machine,
      double loadBefore,
      double loadAfter,
      Map<String, String> settings,
      Latencies raw,
      LoadRun.Result single,
      LoadRun.Result eight,
      LoadRun.Result thirtyTwo,
      LoadRun.Result large,
      LoadRun.Result longRun,
      Map<String, Double> rss,
      List<double[]> longRunRss,
      Map<String, Double> cpuMsPerImage) {}

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    URI base = URI.create(options.getOrDefault("url", "http://127.0.0.1:18080"));
    long pid = Long.parseLong(required(options, "pid"));
    Path model = Path.of(options.getOrDefault("model", "models/xception.onnx"));
    int threads = Integer.parseInt(required(options, "threads"));
    boolean allowSpinning = Boolean.parseBoolean(options.getOrDefault("allow-spinning", "false"));
    boolean smoke = options.containsKey("smoke");
    int longRequests =
        Integer.parseInt(options.getOrDefault("long-requests", smoke ? "200" : "10000"));
    Plan plan = smoke ? Plan.smoke(longRequests) : Plan.full(longRequests);
    Path out = Path.of(options.getOrDefault("out", "docs/benchmarks.md"));
    int clockTicks = Integer.parseInt(options.getOrDefault("clk-tck", "100"));
    Map<String, Double> cpu = new LinkedHashMap<>();

    Instant started = Instant.now();
    Machine machine = Machine.describe();
    double loadBefore = Machine.loadAverage();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "mode",
        smoke ? "SMOKE (small counts: proves the harness, numbers not meaningful)" : "full");
    settings.put(
        "service",
        "workers=1, intra-op-threads="
            + threads
            + ", allow-spinning="
            + allowSpinning
            + ", max-batch-size=1, queue-capacity="
            + options.getOrDefault("queue-capacity", "16")
            + ", JVM options: "
            + (options.getOrDefault("service-opts", "").isBlank()
                ? "(JVM defaults)"
                : options.get("service-opts")));
    // The service decodes plain JPEGs with libjpeg-turbo (DCT-domain scaling) when Debian's
    // libturbojpeg-java is
    // installed, else with ImageIO: a different decode cost, so the report says which.
    settings.put(
        "JPEG decoding",
        Files.exists(Path.of("/usr/share/java/turbojpeg.jar"))
            ? "TurboJPEG (libturbojpeg-java installed)"
            : "ImageIO only (libturbojpeg-java not installed)");
    settings.put(
        "raw ONNX Runtime",
        "intra-op-threads="
            + threads
            + ", allow-spinning="
            + allowSpinning
            + ", inter-op=1, sequential, ALL_OPT, batch 1 (the service's SessionSettings)");

    byte[] small = BenchImages.photoLikeJpeg(640, 480, 1);
    byte[] large = BenchImages.photoLikeJpeg(4000, 3000, 2);
    settings.put(
        "images",
        "640x480 JPEG "
            + small.length / 1024
            + " KiB; 4000x3000 JPEG "
            + large.length / 1024
            + " KiB (deterministic gradients + waves + noise, quality 90), sent as raw image/jpeg bodies");

    Map<String, Double> rss = new LinkedHashMap<>();
    rss.put("idle, after warm-up", Rss.mib(pid));

    log("1/6 raw ONNX Runtime session.run, batch 1, %d runs (service idle)", plan.rawRuns());
    RawSession.InputShape shape = RawSession.inputShape(model);
    float[] pixels =
        new ImagePreprocessor(50_000_000L)
            .prepare(
                small,
                shape.width(),
                shape.height(),
                shape.nhwc() ? TensorLayout.NHWC : TensorLayout.NCHW)
            .pixels();
    RawSession.Run rawRun =
        RawSession.time(model, threads, allowSpinning, pixels, plan.rawWarmUp(), plan.rawRuns());
    Latencies raw = Latencies.of(rawRun.nanos());
    cpu.put("1", rawRun.cpuMillisPerRun());
    log("   median %.1f ms", raw.medianMs());

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    URI classify = base.resolve("/v1/classify");
    LoadRun smallLoad = new LoadRun(http, classify, small);
    LoadRun largeLoad = new LoadRun(http, classify, large);

    log("2/6 one client, 640x480, %d requests", plan.singleRequests());
    smallLoad.run(1, Math.max(5, plan.singleRequests() / 10), Duration.ZERO, n -> {});
    double cpu2 = Cpu.millis(pid, clockTicks);
    LoadRun.Result single = smallLoad.run(1, plan.singleRequests(), Duration.ZERO, n -> {});
    cpu.put("2", (Cpu.millis(pid, clockTicks) - cpu2) / single.accepted().count());
    log("   median %.1f ms", single.accepted().medianMs());

    log("3/6 eight clients, %d requests", plan.eightRequests());
    rss.put("before 8 clients", Rss.mib(pid));
    LoadRun.Result eight;
    try (Rss.Sampler sampler = new Rss.Sampler(pid, 250)) {
      double cpu3 = Cpu.millis(pid, clockTicks);
      eight = smallLoad.run(8, plan.eightRequests(), Duration.ZERO, n -> {});
      cpu.put("3", (Cpu.millis(pid, clockTicks) - cpu3) / eight.accepted().count());
      rss.put("peak during 8 clients", sampler.peakMib());
    }
    Thread.sleep(5000);
    rss.put("5 s after 8 clients", Rss.mib(pid));
    log("   %.2f images/s, p99 %.1f ms", eight.throughput(), eight.accepted().percentileMs(99));

    log("4/6 32 clients against the bounded queue for %d s", plan.thirtyTwoFor().toSeconds());
    LoadRun.Result thirtyTwo;
    try (Rss.Sampler sampler = new Rss.Sampler(pid, 250)) {
      double cpu4 = Cpu.millis(pid, clockTicks);
      thirtyTwo = smallLoad.run(32, 0, plan.thirtyTwoFor(), n -> {});
      cpu.put("4", (Cpu.millis(pid, clockTicks) - cpu4) / thirtyTwo.accepted().count());
      rss.put("peak during 32 clients", sampler.peakMib());
    }
    log(
        "   %.2f accepted/s, %d x 429, %d x 503",
        thirtyTwo.throughput(), thirtyTwo.status429(), thirtyTwo.status503());

    log("5/6 one client, 4000x3000, %d requests", plan.largeRequests());
    largeLoad.run(1, Math.max(1, plan.largeRequests() / 10), Duration.ZERO, n -> {});
    LoadRun.Result largeResult;
    try (Rss.Sampler sampler = new Rss.Sampler(pid, 250)) {
      double cpu5 = Cpu.millis(pid, clockTicks);
      largeResult = largeLoad.run(1, plan.largeRequests(), Duration.ZERO, n -> {});
      cpu.put("5", (Cpu.millis(pid, clockTicks) - cpu5) / largeResult.accepted().count());
      rss.put("peak during 12 MP", sampler.peakMib());
    }
    log("   median %.1f ms", largeResult.accepted().medianMs());

    log(
        "6/6 long run: %d requests from 8 clients, RSS every %d",
        plan.longRequests(), checkpoint(plan));
    List<double[]> longRunRss = Collections.synchronizedList(new ArrayList<>());
    longRunRss.add(new double[] {0, Rss.mib(pid)});
    LoadRun.Result longRun;
    double cpu6 = Cpu.millis(pid, clockTicks);
    try (Rss.Sampler sampler = new Rss.Sampler(pid, 1000)) {
      longRun =
          smallLoad.run(
              8,
              plan.longRequests(),
              Duration.ZERO,
              n -> {
                if (n % checkpoint(plan) == 0) {
                  longRunRss.add(new double[] {n, Rss.mib(pid)});
                  log("   %d done, RSS %.0f MiB", n, longRunRss.get(longRunRss.size() - 1)[1]);
                }
              });
      rss.put("peak during long run", sampler.peakMib());
    }
    cpu.put("6", (Cpu.millis(pid, clockTicks) - cpu6) / longRun.accepted().count());
    Thread.sleep(5000);
    rss.put("5 s after long run", Rss.mib(pid));

    Results results =
        new Results(
            started,
            machine,
            loadBefore,
            Machine.loadAverage(),
            settings,
            raw,
            single,
            eight,
            thirtyTwo,
            largeResult,
            longRun,
            rss,
            new ArrayList<>(longRunRss),
            cpu);
    String markdown =
        new Report(results, Integer.parseInt(options.getOrDefault("queue-capacity", "16")))
            .markdown();
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, markdown);
    System.out.println(markdown);
    log("report written to %s", out);
  }

  private static int checkpoint(Plan plan) {
    return Math.max(1, plan.longRequests() / 10);
  }

  private static void log(String format, Object... args) {
    System.err.printf("[bench] " + format + "%n", args);
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  /** {@code --name=value} and bare {@code --flag} arguments. */
  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      int eq = arg.indexOf('=');
      options.put(
          eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "" : arg.substring(eq + 1));
    }
    return options;
  }
}
