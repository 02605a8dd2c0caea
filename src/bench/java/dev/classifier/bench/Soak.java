package dev.classifier.bench;

import dev.classifier.image.HostileUploads;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The soak, a main started by {@code bench/run.sh --soak [MINUTES]}: one service at the container's
 * heap, its capacity measured with 2 closed-loop clients, then an open-loop load (a fixed arrival
 * rate, so a slow service is not spared requests) at 80 % of that capacity for the given minutes,
 * with valid, invalid and bomb inputs mixed. Every 10 s it samples RSS, live heap, threads and open
 * file descriptors, and at the end compares the last fifth of the samples after a 2-minute warm-in
 * with the first fifth. A 30-minute run replaces the Soak section of docs/benchmarks.md; shorter
 * runs write target/soak.md. Not a test.
 */
public final class Soak {

  private static final double LOAD_FRACTION = 0.8;
  private static final Duration CAPACITY_RUN = Duration.ofSeconds(20);
  private static final Duration WARM_IN = Duration.ofMinutes(2);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
  private static final int FULL_MINUTES = 30;
  private static final double MAX_DRIFT = 0.05;

  /**
   * More requests than this outstanding means the service has stopped keeping up; the generator
   * then counts arrivals as not sent rather than opening ever more connections.
   */
  private static final int MAX_IN_FLIGHT = 256;

  private static final Pattern TYPE =
      Pattern.compile("\"type\"\\s*:\\s*\"urn:problem-type:classifier:([a-z-]+)\"");

  /** One kind of input in the mix. */
  record Input(String name, String contentType, byte[] body) {}

  /** One sample of the service's resources, {@code seconds} after the load started. */
  record Sample(
      double seconds,
      double rssMib,
      double liveHeapMib,
      double threads,
      double fds,
      double sockets) {}

  /** The change from the first fifth of the samples after warm-in to the last fifth. */
  record Drift(String metric, double first, double last) {
    double fraction() {
      return (last - first) / first;
    }

    /** A shrink is no leak: only growth beyond {@link #MAX_DRIFT} fails. */
    boolean passes() {
      return fraction() < MAX_DRIFT;
    }
  }

  private Soak() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    Path jar = Path.of(options.getOrDefault("jar", "target/xception-classifier.jar"));
    Path model = Path.of(options.getOrDefault("model", "models/xception.onnx"));
    int port = Integer.parseInt(options.getOrDefault("port", "18080"));
    int minutes = Integer.parseInt(options.getOrDefault("minutes", Integer.toString(FULL_MINUTES)));
    Path work = Path.of(options.getOrDefault("work", "target/bench"));
    List<String> javaOptions = ServiceProcess.javaOptions(options);
    Files.createDirectories(work);
    Path log = work.resolve("soak.log");

    Instant started = Instant.now();
    Machine machine = Machine.describe();
    double loadBefore = Machine.loadAverage();
    List<Input> mix = mix();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    double capacity;
    double rate;
    Tally tally = new Tally();
    List<Sample> samples;
    int notSent;
    boolean aliveAtEnd;
    try (ServiceProcess service =
        ServiceProcess.start(
            jar,
            port,
            javaOptions,
            List.of("--classifier.model.path=" + model.toAbsolutePath()),
            log)) {
      URI classify = service.base().resolve("/v1/classify");
      log(
          "service ready in %d ms; measuring capacity (2 clients, %d s)",
          service.startupMillis(), CAPACITY_RUN.toSeconds());
      capacity =
          new LoadRun(classify, mix.get(0).body()).run(2, 0, CAPACITY_RUN, n -> {}).throughput();
      rate = LOAD_FRACTION * capacity;
      log(
          "capacity %.2f images/s; open loop at %.2f requests/s for %d min",
          capacity, rate, minutes);
      OpenLoop load = new OpenLoop(http, classify, mix, tally);
      samples = Collections.synchronizedList(new ArrayList<>());
      Thread sampler = sampler(service, http, samples);
      sampler.start();
      notSent = load.run(rate, Duration.ofMinutes(minutes));
      sampler.interrupt();
      sampler.join();
      aliveAtEnd = service.alive();
    }
    long oomLines;
    try (Stream<String> lines = Files.lines(log)) {
      oomLines = lines.filter(l -> l.contains("OutOfMemoryError")).count();
    }

    List<Sample> measured = new ArrayList<>(samples);
    Files.writeString(work.resolve("soak-samples.csv"), csv(measured));
    String section =
        report(
            started,
            machine,
            loadBefore,
            Machine.loadAverage(),
            minutes,
            javaOptions,
            capacity,
            rate,
            tally,
            notSent,
            oomLines,
            aliveAtEnd,
            measured);
    Path out;
    if (minutes >= FULL_MINUTES) {
      out = Path.of("docs", "benchmarks.md");
      String existing = Files.exists(out) ? Files.readString(out) : "";
      Files.writeString(out, MarkdownSections.replace(existing, section));
    } else {
      out = Path.of("target", "soak.md");
      Files.writeString(out, section);
    }
    System.out.println(section);
    log("written to %s (service log %s, samples %s)", out, log, work.resolve("soak-samples.csv"));
  }

  /**
   * The mix, one entry per slot of a 30-request cycle in a fixed shuffled order: 80 % valid 640x480
   * photos (JPEG and PNG, four pictures each), 10 % invalid (truncated, text, wrong magic), 10 %
   * bombs (1 GiB zTXt, 10-gigapixel header, 5000 progressive scans). The first entry is a JPEG, the
   * capacity run's image.
   */
  static List<Input> mix() throws IOException {
    List<Input> valid = new ArrayList<>();
    for (int seed = 1; seed <= 4; seed++) {
      byte[] jpeg = BenchImages.photoLikeJpeg(640, 480, seed);
      valid.add(new Input("valid JPEG 640x480", "image/jpeg", jpeg));
      valid.add(new Input("valid PNG 640x480", "image/png", png(jpeg)));
    }
    byte[] jpeg = valid.get(0).body();
    byte[] wrongMagic = valid.get(1).body().clone();
    Arrays.fill(wrongMagic, 0, 4, (byte) 0);
    List<Input> odd =
        List.of(
            new Input(
                "invalid: truncated JPEG", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2)),
            new Input(
                "invalid: text file",
                "image/jpeg",
                "not an image, just some text\n".repeat(200).getBytes(StandardCharsets.UTF_8)),
            new Input("invalid: PNG with wrong magic", "image/png", wrongMagic),
            new Input(
                "bomb: PNG with 1 GiB zTXt", "image/png", HostileUploads.pngWithGibZtxt(640, 480)),
            new Input(
                "bomb: PNG declaring 100000x100000",
                "image/png",
                HostileUploads.pngDeclaring(100_000, 100_000)),
            new Input(
                "bomb: JPEG with 5000 progressive scans",
                "image/jpeg",
                HostileUploads.jpegWithScans(5000)));
    List<Input> cycle = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      cycle.add(valid.get(i % valid.size()));
    }
    cycle.addAll(odd);
    Input first = cycle.remove(0);
    Collections.shuffle(cycle, new Random(42));
    cycle.add(0, first);
    return cycle;
  }

  private static byte[] png(byte[] jpeg) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** Answers by input and by outcome ("200", "422 corrupt-image", "connection error: ..."). */
  static final class Tally {
    private final Map<String, Map<String, Integer>> byInput = new TreeMap<>();

    synchronized void add(String input, String outcome) {
      byInput.computeIfAbsent(input, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
    }

    synchronized Map<String, Map<String, Integer>> byInput() {
      Map<String, Map<String, Integer>> copy = new TreeMap<>();
      byInput.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
      return copy;
    }

    synchronized Map<String, Integer> byOutcome() {
      Map<String, Integer> total = new TreeMap<>();
      byInput.values().forEach(m -> m.forEach((o, n) -> total.merge(o, n, Integer::sum)));
      return total;
    }
  }

  /** Sends request i at start + i / rate whether or not earlier ones have been answered. */
  private static final class OpenLoop {
    private final HttpClient http;
    private final URI classify;
    private final List<Input> mix;
    private final Tally tally;
    private final AtomicInteger inFlight = new AtomicInteger();

    OpenLoop(HttpClient http, URI classify, List<Input> mix, Tally tally) {
      this.http = http;
      this.classify = classify;
      this.mix = mix;
      this.tally = tally;
    }

    /** Returns how many arrivals were not sent because {@link #MAX_IN_FLIGHT} were outstanding. */
    int run(double rate, Duration duration) throws InterruptedException {
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      double intervalNanos = 1e9 / rate;
      int notSent = 0;
      for (long i = 0; ; i++) {
        long due = start + (long) (i * intervalNanos);
        if (due >= end) {
          break;
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (inFlight.get() >= MAX_IN_FLIGHT) {
          notSent++;
          continue;
        }
        send(mix.get((int) (i % mix.size())));
      }
      while (inFlight.get() > 0) {
        Thread.sleep(100);
      }
      return notSent;
    }

    private void send(Input input) {
      HttpRequest request =
          HttpRequest.newBuilder(classify)
              .header("Content-Type", input.contentType())
              .timeout(Duration.ofMinutes(2))
              .POST(HttpRequest.BodyPublishers.ofByteArray(input.body()))
              .build();
      inFlight.incrementAndGet();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (response, failure) -> {
                tally.add(input.name(), outcome(response, failure));
                inFlight.decrementAndGet();
              });
    }

    private static String outcome(HttpResponse<String> response, Throwable failure) {
      if (failure != null) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return "connection error: " + cause.getClass().getSimpleName();
      }
      if (response.statusCode() == 200) {
        return "200";
      }
      Matcher type = TYPE.matcher(response.body());
      return response.statusCode() + " " + (type.find() ? type.group(1) : "(no problem type)");
    }
  }

  /**
   * Every {@link #SAMPLE_EVERY}: RSS and open descriptors from /proc, then a full GC by {@code jcmd
   * GC.run} and the heap used right after it from the service's own metrics. The forced GC is what
   * makes heap "live": {@code jvm.gc.live.data.size} only moves when G1 collects the old
   * generation, which a 384 MB heap under this load may not do for many minutes, so its value would
   * be stale.
   */
  private static Thread sampler(ServiceProcess service, HttpClient http, List<Sample> samples) {
    long start = System.nanoTime();
    HttpRequest scrape =
        HttpRequest.newBuilder(service.management().resolve("/actuator/prometheus"))
            .timeout(Duration.ofSeconds(30))
            .build();
    Thread thread =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(SAMPLE_EVERY.toMillis());
                  double rss = Rss.mib(service.pid());
                  long[] fds = openDescriptors(service.pid());
                  jcmd(service.pid(), "GC.run");
                  String metrics = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                  double heap = sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"") / (1 << 20);
                  double threads = sum(metrics, "jvm_threads_live_threads", "");
                  Sample sample =
                      new Sample(
                          (System.nanoTime() - start) / 1e9, rss, heap, threads, fds[0], fds[1]);
                  samples.add(sample);
                  log(
                      "   t=%4.0f s  RSS %.0f MiB  live heap %.1f MiB  threads %.0f  fds %d + %d"
                          + " sockets",
                      sample.seconds(), rss, heap, threads, fds[0], fds[1]);
                }
              } catch (InterruptedException e) {
                // the load is over
              } catch (IOException | UncheckedIOException e) {
                log("sampling stopped: %s (did the service die?)", e);
              }
            },
            "soak-sampler");
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Open descriptors other than sockets, and sockets. Sockets follow the load (one per connection
   * in flight or kept alive), so a count of one or two more says nothing; files, pipes and the like
   * do not, so they are what a leak shows in.
   */
  private static long[] openDescriptors(long pid) {
    long files = 0;
    long sockets = 0;
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            sockets++;
          } else {
            files++;
          }
        } catch (IOException closedMeanwhile) {
          // gone between listing and reading: not open any more
        }
      }
      return new long[] {files, sockets};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sum of every series of {@code name} whose labels contain {@code label}. */
  static double sum(String prometheus, String name, String label) {
    double total = 0;
    boolean found = false;
    for (String line : prometheus.lines().toList()) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        if (line.contains(label)) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
    }
    return found ? total : Double.NaN;
  }

  private static void jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(
                Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + command + " failed: " + output);
    }
  }

  /** The samples after warm-in, compared fifth against fifth; empty when there are none. */
  static List<Drift> drifts(List<Sample> samples) {
    List<Sample> after = samples.stream().filter(s -> s.seconds() >= WARM_IN.toSeconds()).toList();
    if (after.isEmpty()) {
      return List.of();
    }
    int k = Math.max(1, (int) Math.round(after.size() * 0.2));
    List<Sample> first = after.subList(0, k);
    List<Sample> last = after.subList(after.size() - k, after.size());
    return List.of(
        drift("RSS (MiB)", first, last, Sample::rssMib),
        drift("live heap after full GC (MiB)", first, last, Sample::liveHeapMib),
        drift("live threads", first, last, Sample::threads),
        drift("open descriptors other than sockets", first, last, Sample::fds));
  }

  private static Drift drift(
      String metric,
      List<Sample> first,
      List<Sample> last,
      java.util.function.ToDoubleFunction<Sample> value) {
    return new Drift(
        metric,
        first.stream().mapToDouble(value).average().orElse(Double.NaN),
        last.stream().mapToDouble(value).average().orElse(Double.NaN));
  }

  private static String report(
      Instant started,
      Machine machine,
      double loadBefore,
      double loadAfter,
      int minutes,
      List<String> javaOptions,
      double capacity,
      double rate,
      Tally tally,
      int notSent,
      long oomLines,
      boolean aliveAtEnd,
      List<Sample> samples) {
    StringBuilder md = new StringBuilder();
    Map<String, Integer> byOutcome = tally.byOutcome();
    int total = byOutcome.values().stream().mapToInt(Integer::intValue).sum();
    int serverErrors =
        byOutcome.entrySet().stream()
            .filter(e -> e.getKey().startsWith("5"))
            .mapToInt(Map.Entry::getValue)
            .sum();
    int connectionErrors =
        byOutcome.entrySet().stream()
            .filter(e -> e.getKey().startsWith("connection error"))
            .mapToInt(Map.Entry::getValue)
            .sum();
    List<Drift> drifts = drifts(samples);
    boolean pass =
        serverErrors == 0
            && connectionErrors == 0
            && notSent == 0
            && oomLines == 0
            && aliveAtEnd
            && !drifts.isEmpty()
            && drifts.stream().allMatch(Drift::passes);

    line(md, "## Soak");
    line(md, "");
    line(
        md,
        "Generated by `bench/run.sh --soak %d`; a 30-minute run replaces this section.%s",
        minutes,
        minutes < FULL_MINUTES ? " **Short run: proves the harness, not the targets.**" : "");
    line(md, "");
    line(
        md,
        "- date: %s",
        DateTimeFormatter.ISO_INSTANT.format(started.atOffset(ZoneOffset.UTC).withNano(0)));
    line(
        md,
        "- machine: %d CPUs (%s), %.1f GiB RAM; JDK %s; ONNX Runtime %s; 1-min load average %.2f"
            + " before, %.2f after",
        machine.cpus(),
        machine.cpuModel(),
        machine.ramGib(),
        machine.jdk(),
        machine.onnxRuntime(),
        loadBefore,
        loadAfter);
    line(md, "- service: shipped defaults, JVM options `%s`", String.join(" ", javaOptions));
    line(
        md,
        "- capacity: %.2f images/s (2 closed-loop clients, %d s, 640x480 JPEG); load: open loop at"
            + " %.0f %% of it, %.2f requests/s for %d min, %d requests answered, %d not sent"
            + " (more than %d outstanding)",
        capacity,
        CAPACITY_RUN.toSeconds(),
        LOAD_FRACTION * 100,
        rate,
        minutes,
        total,
        notSent,
        MAX_IN_FLIGHT);
    line(
        md,
        "- mix per 30 requests: 24 valid 640x480 (JPEG and PNG, 4 pictures each), 3 invalid"
            + " (truncated JPEG, text, wrong magic), 3 bombs (1 GiB zTXt, 10-gigapixel header,"
            + " 5000 progressive scans)");
    line(
        md,
        "- sampled every %d s: VmRSS, open descriptors (/proc/PID/fd; sockets apart, as they"
            + " follow the connections in flight), heap used right after a"
            + " `jcmd GC.run` full GC and `jvm_threads_live_threads` (/actuator/prometheus); drift ="
            + " (mean of the last 20 %% of the samples after a %d-minute warm-in − mean of the"
            + " first 20 %%) / first",
        SAMPLE_EVERY.toSeconds(),
        WARM_IN.toMinutes());
    line(md, "");
    line(md, "| input | answers |");
    line(md, "|---|---|");
    tally
        .byInput()
        .forEach(
            (input, outcomes) ->
                line(
                    md,
                    "| %s | %s |",
                    input,
                    String.join(
                        ", ",
                        outcomes.entrySet().stream()
                            .map(e -> e.getKey() + ": " + e.getValue())
                            .toList())));
    line(md, "");
    line(md, "| status and problem type | count |");
    line(md, "|---|---|");
    byOutcome.forEach((outcome, n) -> line(md, "| %s | %d |", outcome, n));
    line(md, "");
    line(md, "| metric | first 20 %% | last 20 %% | drift | target | |");
    line(md, "|---|---|---|---|---|---|");
    for (Drift d : drifts) {
      line(
          md,
          "| %s | %.1f | %.1f | %+.1f %% | < +%.0f %% | %s |",
          d.metric(),
          d.first(),
          d.last(),
          100 * d.fraction(),
          100 * MAX_DRIFT,
          d.passes() ? "pass" : "**FAIL**");
    }
    if (drifts.isEmpty()) {
      line(md, "| (no samples after the warm-in: run longer) | | | | | **FAIL** |");
    }
    line(md, "");
    line(md, "- 5xx: %d (target 0) %s", serverErrors, serverErrors == 0 ? "pass" : "**FAIL**");
    line(
        md,
        "- connection errors: %d (target 0) %s",
        connectionErrors,
        connectionErrors == 0 ? "pass" : "**FAIL**");
    line(
        md,
        "- OutOfMemoryError in the service log: %d lines (target 0) %s",
        oomLines,
        oomLines == 0 ? "pass" : "**FAIL**");
    line(md, "- service alive at the end: %s", aliveAtEnd ? "yes" : "**no**");
    line(md, "- **overall: %s**", pass ? "PASS" : "FAIL");
    line(md, "");
    line(md, "| t (s) | RSS MiB | live heap MiB | threads | fds (not sockets) | sockets |");
    line(md, "|---|---|---|---|---|---|");
    int every = Math.max(1, samples.size() / 30);
    for (int i = 0; i < samples.size(); i += every) {
      Sample s = samples.get(i);
      line(
          md,
          "| %.0f | %.0f | %.1f | %.0f | %.0f | %.0f |",
          s.seconds(),
          s.rssMib(),
          s.liveHeapMib(),
          s.threads(),
          s.fds(),
          s.sockets());
    }
    return md.toString();
  }

  private static String csv(List<Sample> samples) {
    StringBuilder out = new StringBuilder("seconds,rss_mib,live_heap_mib,threads,fds,sockets\n");
    for (Sample s : samples) {
      out.append(
          String.format(
              Locale.ROOT,
              "%.1f,%.1f,%.2f,%.0f,%.0f,%.0f%n",
              s.seconds(),
              s.rssMib(),
              s.liveHeapMib(),
              s.threads(),
              s.fds(),
              s.sockets()));
    }
    return out.toString();
  }

  private static void line(StringBuilder md, String format, Object... args) {
    md.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[soak] " + format + "%n", args);
  }

  /** {@code --name=value} arguments. */
  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      options.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return options;
  }
}
