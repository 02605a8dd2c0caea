package dev.classifier.bench;

import dev.classifier.ClassifierApplication;
import dev.classifier.inference.Inference;
import dev.classifier.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A quick, bounded look at the issue-28 figures on the synthetic Xception, in one JVM so the ratios
 * share the machine's noise: images/s with the result cache on ÷ off at 8 clients where half the
 * images repeat, the client-side latency of a cache hit at 1 client, and mean images in flight
 * against latency at 1/4/8 clients. Not the benchmark (bench/run.sh, on a quiet machine), not a
 * test (surefire does not pick it up): a main run by hand.
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.classifier.bench.OpsQuickBench
 * </pre>
 *
 * <p>Not yet run to the end: on the shared build machine (2026-12-07) the JVM ended with SIGSEGV,
 * no hs_err file, right after the synthetic Xception's head was read, before any request; not
 * investigated (the tiny-model tests open sessions in-process without trouble).
 */
public final class OpsQuickBench {

  private static final int POPULAR = 4;

  private OpsQuickBench() {}

  public static void main(String[] args) throws Exception {
    int perClient = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    double off;
    double on;
    try (ConfigurableApplicationContext service = start(false)) {
      off = halfRepeating(port(service), 8, perClient, 1);
      for (int clients : new int[] {1, 4, 8}) {
        inFlightVsLatency(service, clients, perClient);
      }
    }
    try (ConfigurableApplicationContext service = start(true)) {
      on = halfRepeating(port(service), 8, perClient, 2);
      hitLatency(port(service), 100);
    }
    System.out.printf(
        Locale.ROOT,
        "half repeating, 8 clients: %.2f images/s without the cache, %.2f with: x%.2f%n",
        off,
        on,
        on / off);
  }

  private static ConfigurableApplicationContext start(boolean cache) {
    // Command-line arguments, so they win over application.yml.
    return new SpringApplicationBuilder(ClassifierApplication.class)
        .run(
            "--server.port=0",
            "--classifier.model.path=target/bench/xception.onnx",
            "--classifier.cache.enabled=" + cache,
            "--classifier.batching.queue-capacity=64",
            "--logging.level.dev.classifier.request=WARN");
  }

  private static int port(ConfigurableApplicationContext service) {
    return Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
  }

  /** Images/s over {@code clients} x {@code perClient} requests, each a repeat with odds 1/2. */
  private static double halfRepeating(int port, int clients, int perClient, long seed)
      throws InterruptedException {
    List<byte[]> popular = new ArrayList<>();
    for (int i = 0; i < POPULAR; i++) {
      popular.add(TestImages.solid(224, 224, new Color(40 * i, 90, 160), "jpeg"));
    }
    AtomicInteger unique = new AtomicInteger();
    long start = System.nanoTime();
    run(
        port,
        clients,
        perClient,
        random ->
            random.nextBoolean()
                ? popular.get(random.nextInt(POPULAR))
                : noise(seed * 1_000_000 + unique.incrementAndGet()),
        seed,
        null);
    return clients * perClient / ((System.nanoTime() - start) / 1e9);
  }

  private static void hitLatency(int port, int requests) throws Exception {
    byte[] image = TestImages.solid(224, 224, new Color(200, 10, 10), "jpeg");
    HttpClient http = HttpClient.newHttpClient();
    post(http, port, image);
    long[] nanos = new long[requests];
    for (int i = 0; i < requests; i++) {
      long t = System.nanoTime();
      post(http, port, image);
      nanos[i] = System.nanoTime() - t;
    }
    Latencies latencies = Latencies.of(nanos);
    System.out.printf(
        Locale.ROOT,
        "cache hit at 1 client: p50 %.2f ms, p99 %.2f ms (%d requests)%n",
        latencies.medianMs(),
        latencies.percentileMs(99),
        requests);
  }

  private static void inFlightVsLatency(
      ConfigurableApplicationContext service, int clients, int perClient) throws Exception {
    Inference inference = service.getBean(Inference.class);
    DoubleAdder sum = new DoubleAdder();
    AtomicLong samples = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                sum.add(inference.imagesInFlight());
                samples.incrementAndGet();
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    List<Long> latencies = new ArrayList<>();
    run(port(service), clients, perClient, random -> noise(random.nextLong()), clients, latencies);
    sampler.interrupt();
    sampler.join();
    Latencies l = Latencies.of(latencies.stream().mapToLong(Long::longValue).toArray());
    System.out.printf(
        Locale.ROOT,
        "%d clients: mean images in flight %.2f, latency p50 %.1f ms, p99 %.1f ms%n",
        clients,
        sum.sum() / Math.max(1, samples.get()),
        l.medianMs(),
        l.percentileMs(99));
  }

  private interface Images {
    byte[] next(SplittableRandom random);
  }

  private static void run(
      int port, int clients, int perClient, Images images, long seed, List<Long> latencies)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      SplittableRandom random = new SplittableRandom(seed * 31 + c);
      Thread client =
          new Thread(
              () -> {
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < perClient; i++) {
                  byte[] image = images.next(random);
                  long t = System.nanoTime();
                  post(http, port, image);
                  if (latencies != null) {
                    synchronized (latencies) {
                      latencies.add(System.nanoTime() - t);
                    }
                  }
                }
              });
      client.start();
      threads.add(client);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private static void post(HttpClient http, int port, byte[] image) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/classify"))
                  .header("Content-Type", "image/jpeg")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(image))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(response.statusCode() + " " + response.body());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A 224 x 224 JPEG of noise no other request sends. */
  private static byte[] noise(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 224; y += 8) {
      for (int x = 0; x < 224; x += 8) {
        int rgb = random.nextInt(1 << 24);
        for (int dy = 0; dy < 8; dy++) {
          for (int dx = 0; dx < 8; dx++) {
            image.setRGB(x + dx, y + dy, rgb);
          }
        }
      }
    }
    return TestImages.encode(image, "jpeg");
  }
}
