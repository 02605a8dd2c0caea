package dev.classifier.bench;

import dev.classifier.testing.OtlpReceiver;
import dev.classifier.testing.PrometheusScrape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The operations benchmark (issue 28), run by {@code bench/run.sh --ops}: the result cache on ÷ off
 * at 8 clients where half the images repeat (target ≥ 1.8×) and a hit's latency at 1 client (target
 * ≤ 3 ms), tracing on (every request sampled and exported to a real OTLP receiver) ÷ off at 1 and 8
 * clients (target: ≤ 1 % slower), and images in flight against latency at 1/4/8/32 clients (the
 * autoscaling signal). Each comparison runs both services at once and alternates windows between
 * them (ABBA), so the machine's drift falls on both sides; the verdict is the median of the
 * per-pair ratios. Writes markdown to {@code --out}. Never fails on speed.
 */
public final class OpsBench {

  static final String HEADING = "## Operations: result cache, tracing, images in flight";

  private static final int POPULAR = 4;

  private OpsBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new TreeMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      options.put(
          arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "" : arg.substring(eq + 1));
    }
    boolean smoke = options.containsKey("smoke");
    Duration window = Duration.ofSeconds(smoke ? 3 : 15);
    int pairs = smoke ? 1 : 4;
    Path jar = Path.of(options.getOrDefault("jar", "target/xception-classifier.jar"));
    int port = Integer.parseInt(options.getOrDefault("port", "18080"));
    Path out = Path.of(options.getOrDefault("out", "target/benchmarks-ops.md"));
    List<String> javaOptions =
        List.of(options.getOrDefault("service-opts", "-Xmx384m").trim().split("\\s+"));
    Path work = Files.createDirectories(Path.of("target", "bench"));
    List<String> quiet = List.of("--logging.level.dev.classifier.request=WARN");

    byte[] photo = BenchImages.photoLikeJpeg(640, 480, 7);
    StringBuilder report = new StringBuilder(HEADING + "\n\n");
    report.append(smoke ? "SMOKE (small counts: proves the harness only)\n\n" : "");
    report.append(
        String.format(
            Locale.ROOT,
            "%s, %s; 640×480 JPEGs of %d bytes; windows of %d s, %d ABBA pairs per comparison,"
                + " both services running throughout.\n\n",
            java.time.LocalDate.now(),
            machine(),
            photo.length,
            window.toSeconds(),
            pairs));

    try (ServiceProcess off =
            ServiceProcess.start(jar, port, javaOptions, quiet, work.resolve("ops-cache-off.log"));
        ServiceProcess on =
            ServiceProcess.start(
                jar,
                port + 10,
                javaOptions,
                with(quiet, "--classifier.cache.enabled=true"),
                work.resolve("ops-cache-on.log"))) {
      cache(report, photo, off, on, window, pairs, smoke ? 50 : 500);
    }
    try (OtlpReceiver receiver = new OtlpReceiver();
        ServiceProcess off =
            ServiceProcess.start(jar, port, javaOptions, quiet, work.resolve("ops-trace-off.log"));
        ServiceProcess on =
            ServiceProcess.start(
                jar,
                port + 10,
                javaOptions,
                with(
                    quiet,
                    "--management.tracing.sampling.probability=1.0",
                    "--management.opentelemetry.tracing.export.otlp.endpoint="
                        + receiver.endpoint()),
                work.resolve("ops-trace-on.log"))) {
      tracing(report, photo, off, on, receiver, window, pairs);
      inFlight(report, photo, off, window);
    }
    String existing = Files.isRegularFile(out) ? Files.readString(out) : "";
    Files.writeString(out, MarkdownSections.replace(existing, report.toString()));
    Benchmark.log("wrote the section %s of %s", HEADING, out);
  }

  private static void cache(
      StringBuilder report,
      byte[] photo,
      ServiceProcess off,
      ServiceProcess on,
      Duration window,
      int pairs,
      int hits)
      throws Exception {
    List<byte[]> popular = new ArrayList<>();
    for (int i = 0; i < POPULAR; i++) {
      popular.add(JpegVariants.of(photo, -1 - i));
    }
    AtomicLong unique = new AtomicLong();
    LongFunction<byte[]> halfRepeating =
        draw ->
            (draw & 1) == 0
                ? popular.get((int) ((draw >>> 1) % POPULAR))
                : JpegVariants.of(photo, unique.incrementAndGet());
    double[] ratios = new double[pairs];
    double[][] rates = new double[2][pairs];
    int[] cached = new int[2];
    for (int pair = 0; pair < pairs; pair++) {
      boolean offFirst = pair % 2 == 0;
      for (int side : offFirst ? new int[] {0, 1} : new int[] {1, 0}) {
        Window result =
            Window.run((side == 0 ? off : on).base(), 8, window, halfRepeating, pair * 2L + side);
        rates[side][pair] = result.imagesPerSecond();
        cached[side] += result.cached();
      }
      ratios[pair] = rates[1][pair] / rates[0][pair];
      Benchmark.log("cache pair %d: off %.2f/s, on %.2f/s", pair, rates[0][pair], rates[1][pair]);
    }
    Window hit = Window.run(on.base(), 1, hits, draw -> popular.get(0));
    Window miss =
        Window.run(
            on.base(),
            1,
            Math.max(10, hits / 25),
            draw -> JpegVariants.of(photo, unique.incrementAndGet()));
    report
        .append("### Result cache (`classifier.cache.enabled=true`), half the images repeat\n\n")
        .append(
            "Half the requests are one of 4 popular images, half a never-seen one (the same"
                + " photo with a distinct JPEG comment: a distinct SHA-256, the same decode and"
                + " inference cost).\n\n")
        .append("| 8 clients | images/s per pair | answered from the cache |\n|---|---|---|\n")
        .append(row("cache off", rates[0], cached[0]))
        .append(row("cache on", rates[1], cached[1]))
        .append(
            String.format(
                Locale.ROOT,
                "\nOn ÷ off: median %.2f× (pairs %s); target ≥ 1.8×.\n\n",
                median(ratios),
                list(ratios, "%.2f")))
        .append(
            String.format(
                Locale.ROOT,
                "A hit at 1 client (%d requests, at the client, keep-alive): median %.2f ms, p99"
                    + " %.2f ms; target ≤ 3 ms. A miss on the same service: median %.1f ms.\n\n",
                hit.latencies().count(),
                hit.latencies().medianMs(),
                hit.latencies().percentileMs(99),
                miss.latencies().medianMs()));
  }

  private static void tracing(
      StringBuilder report,
      byte[] photo,
      ServiceProcess off,
      ServiceProcess on,
      OtlpReceiver receiver,
      Duration window,
      int pairs)
      throws Exception {
    report
        .append("### Tracing: every request sampled and exported ÷ the defaults\n\n")
        .append(
            "On: `management.tracing.sampling.probability=1.0` and spans exported over OTLP/HTTP"
                + " to a receiver on loopback (OpenTelemetry's own classes parse them). Off: the"
                + " shipped defaults (no exporter).\n\n")
        .append(
            "| clients | off images/s | on images/s | on ÷ off (median of pairs) | off median ms |"
                + " on median ms |\n|---|---|---|---|---|---|\n");
    for (int clients : new int[] {1, 8}) {
      double[][] rates = new double[2][pairs];
      double[][] medians = new double[2][pairs];
      double[] ratios = new double[pairs];
      for (int pair = 0; pair < pairs; pair++) {
        boolean offFirst = pair % 2 == 0;
        for (int side : offFirst ? new int[] {0, 1} : new int[] {1, 0}) {
          Window result =
              Window.run((side == 0 ? off : on).base(), clients, window, draw -> photo, pair);
          rates[side][pair] = result.imagesPerSecond();
          medians[side][pair] = result.latencies().medianMs();
        }
        ratios[pair] = rates[1][pair] / rates[0][pair];
      }
      report.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f | %.2f | %.4f (%s) | %.1f | %.1f |\n",
              clients,
              median(rates[0]),
              median(rates[1]),
              median(ratios),
              list(ratios, "%.3f"),
              median(medians[0]),
              median(medians[1])));
      Benchmark.log("tracing %d clients: on ÷ off %.4f", clients, median(ratios));
    }
    report.append(
        String.format(
            Locale.ROOT,
            "\nSpans the receiver got: %d (target overhead ≤ 1 %%, i.e. on ÷ off ≥ 0.99).\n\n",
            receiver.spans().size()));
  }

  private static void inFlight(
      StringBuilder report, byte[] photo, ServiceProcess service, Duration window)
      throws Exception {
    report
        .append("### Images in flight against latency (the autoscaling signal)\n\n")
        .append(
            "`classifier_images_in_flight` scraped every 100 ms from the management port during"
                + " a closed loop of N clients on the defaults (queue capacity 16, 2 workers);"
                + " latency at the client, refusals (429) excluded from it.\n\n")
        .append(
            "| clients | mean in flight | max in flight | images/s | p50 ms | p99 ms | 429s |\n"
                + "|---|---|---|---|---|---|---|\n");
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest scrape =
        HttpRequest.newBuilder(service.management().resolve("/actuator/prometheus")).build();
    for (int clients : new int[] {1, 4, 8, 32}) {
      List<Double> samples = new ArrayList<>();
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    String text = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                    samples.add(new PrometheusScrape(text).value("classifier_images_in_flight"));
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                }
              },
              "ops-bench-sampler");
      sampler.setDaemon(true);
      sampler.start();
      Window result = Window.run(service.base(), clients, window, draw -> photo, clients);
      sampler.interrupt();
      sampler.join();
      double[] values = samples.stream().mapToDouble(Double::doubleValue).toArray();
      report.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f | %.0f | %.2f | %.1f | %.1f | %d |\n",
              clients,
              Arrays.stream(values).average().orElse(Double.NaN),
              Arrays.stream(values).max().orElse(Double.NaN),
              result.imagesPerSecond(),
              result.latencies().medianMs(),
              result.latencies().percentileMs(99),
              result.refused()));
    }
    report.append('\n');
  }

  private static String machine() {
    Machine m = Machine.describe();
    return String.format(
        Locale.ROOT,
        "%d vCPU %s, %.0f GiB, %s, ONNX Runtime %s",
        m.cpus(),
        m.cpuModel(),
        m.ramGib(),
        m.jdk(),
        m.onnxRuntime());
  }

  private static List<String> with(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }

  private static String row(String label, double[] rates, int cached) {
    return String.format(Locale.ROOT, "| %s | %s | %d |\n", label, list(rates, "%.2f"), cached);
  }

  private static String list(double[] values, String format) {
    return String.join(
        ", ", Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, format, v)).toList());
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * One closed-loop window: {@code clients} threads, each on its own keep-alive connection, POST
   * the image {@code images} gives for each draw to {@code /v1/classify} until the window ends (or
   * a request count is reached).
   */
  record Window(Latencies latencies, double wallSeconds, int cached, int refused) {

    double imagesPerSecond() {
      return latencies.count() / wallSeconds;
    }

    static Window run(
        URI base, int clients, Duration window, LongFunction<byte[]> images, long seed)
        throws InterruptedException {
      return run(
          base, clients, System.nanoTime() + window.toNanos(), Integer.MAX_VALUE, images, seed);
    }

    static Window run(URI base, int clients, int requests, LongFunction<byte[]> images)
        throws InterruptedException {
      return run(base, clients, Long.MAX_VALUE, requests, images, 0);
    }

    private static Window run(
        URI base, int clients, long deadline, int requests, LongFunction<byte[]> images, long seed)
        throws InterruptedException {
      URI classify = base.resolve("/v1/classify");
      AtomicInteger issued = new AtomicInteger();
      AtomicInteger cached = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      long[][] perClient = new long[clients][];
      List<Thread> threads = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        int index = c;
        SplittableRandom random = new SplittableRandom(seed * 1000 + c);
        Thread thread =
            new Thread(
                () -> {
                  long[] nanos = new long[1024];
                  int count = 0;
                  byte[] first = images.apply(random.nextLong() & Long.MAX_VALUE);
                  try (LeanHttpClient http = new LeanHttpClient(classify, "image/jpeg", first)) {
                    byte[] body = first;
                    while (System.nanoTime() < deadline && issued.getAndIncrement() < requests) {
                      long t = System.nanoTime();
                      LeanHttpClient.Response response = http.send(body);
                      long took = System.nanoTime() - t;
                      if (response.status() == 200) {
                        if (count == nanos.length) {
                          nanos = Arrays.copyOf(nanos, count * 2);
                        }
                        nanos[count++] = took;
                        if (response.body().contains("\"cached\":true")) {
                          cached.incrementAndGet();
                        }
                      } else if (response.status() == 429 || response.status() == 503) {
                        refused.incrementAndGet();
                        Thread.sleep(Math.max(0, response.retryAfterSeconds()) * 1000);
                      } else {
                        failed.incrementAndGet();
                      }
                      body = images.apply(random.nextLong() & Long.MAX_VALUE);
                    }
                  } catch (IOException e) {
                    failed.incrementAndGet();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  perClient[index] = Arrays.copyOf(nanos, count);
                },
                "ops-bench-client");
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      double wall = (System.nanoTime() - start) / 1e9;
      if (failed.get() > 0) {
        Benchmark.log("%d requests failed", failed.get());
      }
      return new Window(
          Latencies.of(
              Arrays.stream(perClient)
                  .filter(java.util.Objects::nonNull)
                  .flatMapToLong(Arrays::stream)
                  .toArray()),
          wall,
          cached.get(),
          refused.get());
    }
  }

  /**
   * Distinct bytes of one JPEG: a COM segment carrying {@code n} right after SOI, which decoders
   * skip, so every variant costs the same to decode and classify and hashes differently.
   */
  static final class JpegVariants {

    private JpegVariants() {}

    static byte[] of(byte[] jpeg, long n) {
      byte[] text = Long.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      int length = text.length + 2;
      byte[] out = new byte[jpeg.length + 2 + length];
      out[0] = jpeg[0];
      out[1] = jpeg[1];
      out[2] = (byte) 0xFF;
      out[3] = (byte) 0xFE;
      out[4] = (byte) (length >>> 8);
      out[5] = (byte) length;
      System.arraycopy(text, 0, out, 6, text.length);
      System.arraycopy(jpeg, 2, out, 6 + text.length, jpeg.length - 2);
      return out;
    }
  }
}
