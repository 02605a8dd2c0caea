package dev.classifier.bench;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import dev.classifier.inference.Spinning;
import dev.classifier.inference.Threading;
import dev.classifier.model.build.ImageFolder;
import dev.classifier.model.compare.CompareModelsCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;

/**
 * The benchmark, a main started by {@code bench/run.sh}: raw ONNX Runtime floors in this JVM first,
 * then the service (each configuration its own process): a threading and batching sweep at 1, 4 and
 * 8 clients, the main run on the shipped defaults (cold start, 32 clients, 12 MP images, memory, a
 * profile, 10,000 requests for memory growth), and INT8 against FP32. Writes the Markdown report.
 * Not a test.
 */
public final class Benchmark {

  /** Request counts and durations of one run; {@code smoke} proves the harness in minutes. */
  record Plan(
      int rawRounds,
      Sweep.Counts sweep,
      int oneRequests,
      int fourRequests,
      int eightRequests,
      Duration thirtyTwoFor,
      int largeRequests,
      int largeConcurrentPerClient,
      int longRequests,
      Sweep.Counts int8,
      Duration parallelBlock,
      int besideRuns,
      PairedRuns.Counts paired) {

    static Plan full(int longRequests) {
      return new Plan(
          20,
          new Sweep.Counts(100, 200, 300),
          200,
          400,
          800,
          Duration.ofSeconds(60),
          40,
          3,
          longRequests,
          new Sweep.Counts(200, 400, 800),
          Duration.ofSeconds(5),
          40,
          PairedRuns.Counts.full());
    }

    static Plan smoke(int longRequests) {
      return new Plan(
          3,
          new Sweep.Counts(10, 16, 24),
          20,
          24,
          32,
          Duration.ofSeconds(10),
          5,
          1,
          longRequests,
          new Sweep.Counts(10, 16, 24),
          Duration.ofSeconds(2),
          5,
          PairedRuns.Counts.smoke());
    }
  }

  /**
   * The main run on the service's defaults; {@code floorBeside} is the fastest raw floor timed in
   * this JVM between its scenarios, keyed by when.
   */
  record MainRun(
      long startupMillis,
      String startupSteps,
      Sweep.Cold cold,
      LoadRun.Result one,
      LoadRun.Result four,
      LoadRun.Result eight,
      LoadRun.Result thirtyTwo,
      LoadRun.Result large,
      LoadRun.Result largeConcurrent,
      LoadRun.Result longRun,
      Map<String, Double> rss,
      List<double[]> longRunRss,
      Map<String, Double> cpuMsPerImage,
      Profile.Summary profile,
      Map<String, Latencies> floorBeside) {

    static final String BEFORE_ONE = "before 1 client";
    static final String AFTER_ONE = "after 1 client";
    static final String AFTER_EIGHT = "after 8 clients";

    /** The floor beside the 1-client run: the mean of the medians before and after it. */
    double floorBesideOneMs() {
      return (floorBeside.get(BEFORE_ONE).medianMs() + floorBeside.get(AFTER_ONE).medianMs()) / 2;
    }

    /** The floor beside the 4- and 8-client runs: the mean of the medians before and after. */
    double floorBesideLoadMs() {
      return (floorBeside.get(AFTER_ONE).medianMs() + floorBeside.get(AFTER_EIGHT).medianMs()) / 2;
    }
  }

  /** The INT8 model served with the same defaults. */
  record Int8Run(
      long startupMillis,
      Sweep.Cold cold,
      LoadRun.Result one,
      LoadRun.Result four,
      LoadRun.Result eight,
      String agreement) {}

  /** Everything measured in one run, for the report. */
  record Results(
      Instant started,
      Machine machine,
      double loadBefore,
      double loadAfter,
      Map<String, String> settings,
      Spinning serviceSpinning,
      RawFloors.Result floors,
      Map<Integer, Double> perImageByBatch,
      RawFloors.Parallel parallel,
      List<Sweep.Row> sweep,
      MainRun main,
      Int8Run int8,
      PairedRuns.Result paired) {}

  private static final java.time.format.DateTimeFormatter MINUTES =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
          .withZone(java.time.ZoneOffset.UTC);
  private static final java.time.format.DateTimeFormatter CLOCK =
      java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneOffset.UTC);

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    Path jar = Path.of(options.getOrDefault("jar", "target/xception-classifier.jar"));
    Path model = Path.of(options.getOrDefault("model", "models/xception.onnx"));
    Path int8Model = Path.of(options.getOrDefault("int8-model", "target/bench/xception-int8.onnx"));
    int port = Integer.parseInt(options.getOrDefault("port", "18080"));
    boolean smoke = options.containsKey("smoke");
    int longRequests =
        Integer.parseInt(options.getOrDefault("long-requests", smoke ? "200" : "10000"));
    Plan plan = smoke ? Plan.smoke(longRequests) : Plan.full(longRequests);
    Path out = Path.of(options.getOrDefault("out", "docs/benchmarks.md"));
    Path work = Path.of(options.getOrDefault("work", "target/bench"));
    Files.createDirectories(work);
    int clockTicks = Integer.parseInt(options.getOrDefault("clk-tck", "100"));
    List<String> javaOptions = ServiceProcess.javaOptions(options);
    int threads = Runtime.getRuntime().availableProcessors();

    Instant started = Instant.now();
    Machine machine = Machine.describe();
    double loadBefore = Machine.loadAverage();
    byte[] small = BenchImages.photoLikeJpeg(640, 480, 1);
    byte[] large = BenchImages.photoLikeJpeg(4000, 3000, 2);
    byte[] largeProgressive = BenchImages.progressiveJpeg(4000, 3000, 3);
    ClassifierProperties defaults = serviceDefaults();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("mode", smoke ? "SMOKE (small counts: proves the harness only)" : "full");
    settings.put(
        "service defaults",
        String.format(
            "threading=%s, workers=%s, intra-op-threads=%s, spinning=%s, max-batch-size=%d,"
                + " max-queue-delay=%s, queue-capacity=%d",
            defaults.inference().threading().name().toLowerCase(java.util.Locale.ROOT),
            defaults.inference().threading() == Threading.ADAPTIVE
                ? threads + " (one per CPU)"
                : defaults.inference().workers(),
            defaults.inference().threading() == Threading.ADAPTIVE
                ? threads + " for a call alone, 1 for overlapping calls"
                : defaults.inference().intraOpThreads() == 0
                    ? "0 (= " + threads + ", the CPU budget)"
                    : defaults.inference().intraOpThreads(),
            defaults.inference().spinning(),
            defaults.batching().maxBatchSize(),
            defaults.batching().maxQueueDelay(),
            defaults.batching().queueCapacity()));
    settings.put("service JVM options", String.join(" ", javaOptions));
    settings.put("INT8 model", int8Model + " (build-model --precision int8 --synthetic)");
    settings.put(
        "JPEG decoding",
        Files.exists(Path.of("/usr/share/java/turbojpeg.jar"))
            ? "TurboJPEG (libturbojpeg-java installed)"
            : "ImageIO only (libturbojpeg-java not installed)");
    settings.put(
        "images",
        String.format(
            "640x480 JPEG %d KiB; 4000x3000 JPEG %d KiB, baseline and progressive (%d KiB);"
                + " deterministic gradients + waves + noise, quality 90, raw image/jpeg bodies",
            small.length / 1024, large.length / 1024, largeProgressive.length / 1024));

    float[] pixels =
        ImageFolder.preprocessor()
            .prepare(small, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF))
            .pixels();
    // The last phase of a full run, or the only one (bench/run.sh --paired).
    Callable<PairedRuns.Result> pairedPhase =
        () ->
            PairedRuns.measure(
                jar,
                port,
                javaOptions,
                model,
                int8Model,
                small,
                large,
                pixels,
                defaults.inference().spinning(),
                plan.paired(),
                work);
    if (options.containsKey("paired-only")) {
      pairedOnly(pairedPhase, out, machine, javaOptions);
      return;
    }

    log("1/5 raw ONNX Runtime floors (%d rounds, no service running)", plan.rawRounds());
    RawFloors.Result floors =
        RawFloors.measure(model, RawFloors.candidates(threads), pixels, 10, plan.rawRounds(), 10);
    floors.latencies().forEach((c, l) -> log("   %-12s median %.1f ms", c.name(), l.medianMs()));
    Map<Integer, Double> perImage =
        RawFloors.perImageMillis(model, floors.fastest(), pixels, new int[] {1, 2, 4}, 40);
    log("   per image by batch size: %s", perImage);
    RawFloors.Parallel parallel =
        RawFloors.parallel(
            model,
            floors.fastest(),
            pixels,
            threads,
            plan.parallelBlock(),
            Math.max(2, plan.rawRounds() / 4));
    log(
        "   %d single-threaded calls at once: %.2f images/s; fastest single stream %.2f images/s",
        threads, parallel.imagesPerSecond(), parallel.singleStreamImagesPerSecond());

    log("2/5 sweep: spinning x batching, 1/4/8 clients, each a fresh service");
    List<Sweep.Row> sweep =
        Sweep.run(jar, port, javaOptions, sweepConfigs(threads), small, plan.sweep(), work);

    log("3/5 main run on the service's defaults");
    MainRun main;
    try (RawFloors.Beside beside = new RawFloors.Beside(model, floors.fastest(), pixels)) {
      main =
          mainRun(
              jar,
              port,
              javaOptions,
              plan,
              small,
              large,
              largeProgressive,
              work,
              clockTicks,
              beside);
    }

    log("4/5 INT8 (%s) with the same defaults", int8Model);
    Int8Run int8 = int8Run(jar, port, javaOptions, model, int8Model, plan, small, work);

    log("5/5 paired, drift-cancelling: FP32 and INT8 against twin sessions, hops of a request");
    PairedRuns.Result paired = pairedPhase.call();

    Results results =
        new Results(
            started,
            machine,
            loadBefore,
            Machine.loadAverage(),
            settings,
            defaults.inference().spinning(),
            floors,
            perImage,
            parallel,
            sweep,
            main,
            int8,
            paired);
    String markdown = new Report(results).markdown();
    // The protocol, operations and soak runs are their own (bench/run.sh --oip, --ops, --soak);
    // their sections outlive a benchmark run.
    if (Files.isRegularFile(out)) {
      String previous = Files.readString(out);
      for (String heading : MarkdownSections.SEPARATE_RUNS) {
        String section = MarkdownSections.section(previous, heading);
        if (!section.isEmpty()) {
          markdown = MarkdownSections.replace(markdown, section);
        }
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, markdown);
    System.out.println(markdown);
    log("report written to %s", out);
  }

  /**
   * Only the drift-cancelling phase ({@code bench/run.sh --paired}, ~15 min against ~45): its
   * section of {@code out} is replaced, and says that it is a run of its own, when and on what.
   */
  private static void pairedOnly(
      Callable<PairedRuns.Result> pairedPhase, Path out, Machine machine, List<String> javaOptions)
      throws Exception {
    Instant started = Instant.now();
    double loadBefore = Machine.loadAverage();
    log("paired, drift-cancelling only: FP32 and INT8 against twin sessions, hops of a request");
    PairedRuns.Result paired = pairedPhase.call();
    String section = new PairedReport(paired).markdown(PairedReport.SECTION);
    int firstBreak = section.indexOf('\n');
    section =
        section.substring(0, firstBreak + 1)
            + String.format(
                "%nA run of its own (`bench/run.sh --paired`), %s–%s UTC on %s; service JVM options"
                    + " `%s`; load average %.2f before, %.2f after. The other sections come from the"
                    + " last full run.%n",
                MINUTES.format(started),
                CLOCK.format(Instant.now()),
                machine.summary(),
                String.join(" ", javaOptions),
                loadBefore,
                Machine.loadAverage())
            + section.substring(firstBreak + 1);
    String previous = Files.isRegularFile(out) ? Files.readString(out) : "";
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, MarkdownSections.replace(previous, section));
    System.out.println(section);
    log("paired section written to %s", out);
  }

  /**
   * The service's defaults, bound exactly as Spring binds them with no property set, so the floor
   * "under the service's own settings" cannot drift from what the service really does.
   */
  static ClassifierProperties serviceDefaults() {
    return new Binder(List.<ConfigurationPropertySource>of())
        .bindOrCreate("classifier", ClassifierProperties.class);
  }

  /**
   * Adaptive threading against fixed splits of the CPUs (one call on every CPU; one single-threaded
   * call per CPU), with intra-op spinning off and during runs, and batches of up to 4 on the
   * adaptive default.
   */
  static List<Sweep.Config> sweepConfigs(int cpus) {
    List<Sweep.Config> configs = new ArrayList<>();
    for (String spinning : new String[] {"off", "during-runs"}) {
      configs.add(
          new Sweep.Config(
              "fixed-1x" + cpus + "-spin-" + spinning,
              List.of(
                  "--classifier.inference.threading=fixed",
                  "--classifier.inference.spinning=" + spinning)));
    }
    configs.add(
        new Sweep.Config(
            "fixed-" + cpus + "x1",
            List.of(
                "--classifier.inference.threading=fixed",
                "--classifier.inference.workers=" + cpus,
                "--classifier.inference.intra-op-threads=1")));
    for (String spinning : new String[] {"off", "during-runs"}) {
      configs.add(
          new Sweep.Config(
              "adaptive-spin-" + spinning,
              List.of(
                  "--classifier.inference.threading=adaptive",
                  "--classifier.inference.spinning=" + spinning)));
    }
    configs.add(
        new Sweep.Config(
            "adaptive-spin-during-runs-batch-4",
            List.of(
                "--classifier.inference.threading=adaptive",
                "--classifier.inference.spinning=during-runs",
                "--classifier.batching.max-batch-size=4")));
    return configs;
  }

  private static MainRun mainRun(
      Path jar,
      int port,
      List<String> javaOptions,
      Plan plan,
      byte[] small,
      byte[] large,
      byte[] largeProgressive,
      Path work,
      int clockTicks,
      RawFloors.Beside beside)
      throws Exception {
    Map<String, Double> rss = new LinkedHashMap<>();
    Map<String, Latencies> floorBeside = new LinkedHashMap<>();
    Map<String, Double> cpu = new LinkedHashMap<>();
    try (ServiceProcess service =
        ServiceProcess.start(jar, port, javaOptions, List.of(), work.resolve("main.log"))) {
      long pid = service.pid();
      String startupSteps = startupSteps(Files.readAllLines(work.resolve("main.log")));
      LoadRun smallLoad = new LoadRun(service.base().resolve("/v1/classify"), small);
      LoadRun largeLoad = new LoadRun(service.base().resolve("/v1/classify"), large);
      LoadRun progressiveLoad =
          new LoadRun(service.base().resolve("/v1/classify"), largeProgressive);
      Sweep.Cold cold = Sweep.Cold.measure(smallLoad);
      log("   ready in %d ms; first request %.1f ms", service.startupMillis(), cold.firstMs());
      rss.put("idle, after warm-up and 10 requests", Rss.mib(pid));

      floorBeside.put(MainRun.BEFORE_ONE, beside.time(plan.besideRuns()));
      double cpu1 = Cpu.millis(pid, clockTicks);
      LoadRun.Result one = smallLoad.run(1, plan.oneRequests(), Duration.ZERO, n -> {});
      cpu.put("1 client", (Cpu.millis(pid, clockTicks) - cpu1) / one.accepted().count());
      floorBeside.put(MainRun.AFTER_ONE, beside.time(plan.besideRuns()));
      log(
          "   1 client: median %.1f ms; raw floor beside it %.1f ms before, %.1f ms after",
          one.accepted().medianMs(),
          floorBeside.get(MainRun.BEFORE_ONE).medianMs(),
          floorBeside.get(MainRun.AFTER_ONE).medianMs());
      // Profiled separately: the recorder's sampling and jcmd's own start-up would otherwise be in
      // the 1-client figures.
      Path jfr = work.resolve("main-one-client.jfr");
      Profile.start(pid, jfr);
      smallLoad.run(1, plan.oneRequests() / 2, Duration.ZERO, n -> {});
      Profile.Summary profile = Profile.stop(pid, jfr);

      double cpu4 = Cpu.millis(pid, clockTicks);
      LoadRun.Result four = smallLoad.run(4, plan.fourRequests(), Duration.ZERO, n -> {});
      cpu.put("4 clients", (Cpu.millis(pid, clockTicks) - cpu4) / four.accepted().count());
      LoadRun.Result eight;
      try (Rss.Sampler sampler = new Rss.Sampler(pid, 250)) {
        double cpu8 = Cpu.millis(pid, clockTicks);
        eight = smallLoad.run(8, plan.eightRequests(), Duration.ZERO, n -> {});
        cpu.put("8 clients", (Cpu.millis(pid, clockTicks) - cpu8) / eight.accepted().count());
        rss.put("peak during 4 and 8 clients", sampler.peakMib());
      }
      floorBeside.put(MainRun.AFTER_EIGHT, beside.time(plan.besideRuns()));
      log(
          "   4 clients %.2f/s, 8 clients %.2f/s; raw floor after them %.1f ms",
          four.throughput(), eight.throughput(), floorBeside.get(MainRun.AFTER_EIGHT).medianMs());

      LoadRun.Result thirtyTwo;
      try (Rss.Sampler sampler = new Rss.Sampler(pid, 250)) {
        thirtyTwo = smallLoad.run(32, 0, plan.thirtyTwoFor(), n -> {});
        rss.put("peak during 32 clients", sampler.peakMib());
      }
      log(
          "   32 clients: %.2f accepted/s, %d x 429, %d x 503",
          thirtyTwo.throughput(), thirtyTwo.status429(), thirtyTwo.status503());

      largeLoad.run(1, Math.max(2, plan.largeRequests() / 10), Duration.ZERO, n -> {});
      LoadRun.Result largeResult = largeLoad.run(1, plan.largeRequests(), Duration.ZERO, n -> {});
      log("   12 MP, 1 client: median %.1f ms", largeResult.accepted().medianMs());
      LoadRun.Result largeConcurrent;
      try (Rss.Sampler sampler = new Rss.Sampler(pid, 100)) {
        largeConcurrent =
            progressiveLoad.run(32, 32 * plan.largeConcurrentPerClient(), Duration.ZERO, n -> {});
        rss.put("peak during 32 concurrent 12 MP progressive uploads", sampler.peakMib());
      }
      log(
          "   32 concurrent 12 MP: %d ok, %d x 503, other %s; peak RSS %.0f MiB",
          largeConcurrent.accepted().count(),
          largeConcurrent.status503(),
          largeConcurrent.otherErrors(),
          rss.get("peak during 32 concurrent 12 MP progressive uploads"));

      List<double[]> longRunRss = Collections.synchronizedList(new ArrayList<>());
      longRunRss.add(new double[] {0, Rss.mib(pid)});
      int checkpoint = Math.max(1, plan.longRequests() / 10);
      LoadRun.Result longRun;
      try (Rss.Sampler sampler = new Rss.Sampler(pid, 1000)) {
        longRun =
            smallLoad.run(
                8,
                plan.longRequests(),
                Duration.ZERO,
                n -> {
                  if (n % checkpoint == 0) {
                    longRunRss.add(new double[] {n, Rss.mib(pid)});
                    log(
                        "   long run: %d done, RSS %.0f MiB",
                        n, longRunRss.get(longRunRss.size() - 1)[1]);
                  }
                });
        rss.put("peak during long run", sampler.peakMib());
      }
      return new MainRun(
          service.startupMillis(),
          startupSteps,
          cold,
          one,
          four,
          eight,
          thirtyTwo,
          largeResult,
          largeConcurrent,
          longRun,
          rss,
          new ArrayList<>(longRunRss),
          cpu,
          profile,
          floorBeside);
    }
  }

  private static final Pattern STARTUP_STEP =
      Pattern.compile(
          "(Started ClassifierApplication in [0-9.]+ seconds|warm-up done in [0-9]+ ms"
              + "|settled after the warm-up in [0-9]+ ms)");

  /** The service's own account of its start-up, from its log: context, warm-up, settling. */
  static String startupSteps(List<String> log) {
    List<String> steps = new ArrayList<>();
    for (String line : log) {
      Matcher step = STARTUP_STEP.matcher(line);
      if (step.find()) {
        steps.add(step.group(1));
      }
    }
    return String.join("; ", steps);
  }

  private static Int8Run int8Run(
      Path jar,
      int port,
      List<String> javaOptions,
      Path fp32,
      Path int8,
      Plan plan,
      byte[] small,
      Path work)
      throws Exception {
    Int8Run partial;
    try (ServiceProcess service =
        ServiceProcess.start(
            jar,
            port,
            javaOptions,
            List.of("--classifier.model.path=" + int8.toAbsolutePath()),
            work.resolve("int8.log"))) {
      LoadRun load = new LoadRun(service.base().resolve("/v1/classify"), small);
      Sweep.Cold cold = Sweep.Cold.measure(load);
      LoadRun.Result one = load.run(1, plan.int8().one(), Duration.ZERO, n -> {});
      LoadRun.Result four = load.run(4, plan.int8().four(), Duration.ZERO, n -> {});
      LoadRun.Result eight = load.run(8, plan.int8().eight(), Duration.ZERO, n -> {});
      log(
          "   INT8: 1 client %.1f ms, 4 clients %.2f/s, 8 clients %.2f/s",
          one.accepted().medianMs(), four.throughput(), eight.throughput());
      partial = new Int8Run(service.startupMillis(), cold, one, four, eight, null);
    }
    // Agreement on 48 generated images the calibration never saw, with compare-models itself.
    Path images = work.resolve("compare-images");
    Files.createDirectories(images);
    for (int i = 0; i < 48; i++) {
      Files.write(
          images.resolve(String.format("img-%02d.jpg", i)),
          BenchImages.photoLikeJpeg(400, 300, 1000 + i));
    }
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int code =
        new CompareModelsCommand(new PrintStream(text, true, StandardCharsets.UTF_8), System.err)
            .run(
                "--reference", fp32.toString(),
                "--candidate", int8.toString(),
                "--images", images.toString());
    String agreement =
        code == 0
            ? text.toString(StandardCharsets.UTF_8)
            : "compare-models failed with exit code " + code;
    return new Int8Run(
        partial.startupMillis(),
        partial.cold(),
        partial.one(),
        partial.four(),
        partial.eight(),
        agreement);
  }

  static void log(String format, Object... args) {
    System.err.printf("[bench] " + format + "%n", args);
  }

  /** {@code --name=value} and bare {@code --flag} arguments. */
  static Map<String, String> parse(String[] args) {
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
