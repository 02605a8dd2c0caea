package dev.classifier.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.RawHttp;
import dev.classifier.testing.TestImages;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Per-caller quotas on the running service: a greedy client (key {@code greedy}: 5 requests per
 * second, 2 in flight) is answered 429 with Retry-After before its body is read, and a polite
 * client next to it is served about as fast as alone.
 */
class QuotaTest extends SecuredServer {

  private static final byte[] PNG = TestImages.solid(16, 16, Color.GREEN, "png");
  private static final int POLITE_REQUESTS = 15;
  private static final int ROUNDS = 6;
  private static final int GREEDY_THREADS = 2;

  /**
   * Each greedy thread sends every 50 ms, ignoring Retry-After: about 40 requests a second, 8 times
   * its quota. Unpaced, the test's own client threads would compete with the service for this
   * machine's 2 CPUs, which measures the machine, not the quota.
   */
  private static final long GREEDY_PAUSE_MILLIS = 50;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> classify(String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/classify"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "image/png")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(PNG))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aGreedyClientGets429AndThePoliteOneKeepsItsLatency() throws Exception {
    for (int i = 0; i < 10; i++) {
      classify(KEYS.get("polite")); // warm the client's connections and the JIT
    }
    AtomicBoolean greedyRunning = new AtomicBoolean(false);
    AtomicBoolean done = new AtomicBoolean(false);
    ConcurrentHashMap<Integer, AtomicInteger> greedyStatuses = new ConcurrentHashMap<>();
    List<String> retryAfters = new ArrayList<>();
    ExecutorService greedy = Executors.newFixedThreadPool(GREEDY_THREADS);
    for (int t = 0; t < GREEDY_THREADS; t++) {
      greedy.submit(
          () -> {
            while (!done.get()) {
              Thread.sleep(GREEDY_PAUSE_MILLIS);
              if (!greedyRunning.get()) {
                continue;
              }
              HttpResponse<String> response = classify(KEYS.get("greedy"));
              greedyStatuses
                  .computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                  .incrementAndGet();
              if (response.statusCode() == 429) {
                synchronized (retryAfters) {
                  retryAfters.add(
                      response.headers().firstValue("Retry-After").orElse("none")
                          + " "
                          + response.body().contains("quota-exceeded"));
                }
              }
            }
            return null;
          });
    }
    // Alone and beside the greedy client in turns (ABAB...): a shared machine's load drifts over
    // the test's seconds, and turns spread the drift over both.
    List<Double> alone = new ArrayList<>();
    List<Double> contended = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      alone.addAll(politeMillis());
      greedyRunning.set(true);
      Thread.sleep(300);
      contended.addAll(politeMillis());
      greedyRunning.set(false);
      Thread.sleep(300);
    }
    done.set(true);
    greedy.shutdown();
    assertThat(greedy.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    int admitted = greedyStatuses.getOrDefault(200, new AtomicInteger()).get();
    int refused = greedyStatuses.getOrDefault(429, new AtomicInteger()).get();
    double aloneMedian = median(alone);
    double contendedMedian = median(contended);
    System.out.printf(
        "quota: polite median alone %.2f ms, beside the greedy client %.2f ms (%.2fx), %d"
            + " requests each; greedy: %d admitted, %d refused 429%n",
        aloneMedian,
        contendedMedian,
        contendedMedian / aloneMedian,
        alone.size(),
        admitted,
        refused);
    assertThat(greedyStatuses.keySet()).containsOnly(200, 429);
    assertThat(refused).isPositive();
    assertThat(retryAfters).allSatisfy(r -> assertThat(r).matches("[12] true"));
    assertThat(contendedMedian)
        .as("polite median with the greedy client")
        .isLessThanOrEqualTo(aloneMedian * 1.5);
  }

  /** The polite client's sequential requests, in ms; every one must succeed. */
  private List<Double> politeMillis() throws Exception {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < POLITE_REQUESTS; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = classify(KEYS.get("polite"));
      millis.add((System.nanoTime() - start) / 1e6);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    return millis;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  @Test
  void overQuotaIsAnsweredBeforeTheBodyIsSent() throws Exception {
    Thread.sleep(1_100); // a fresh second of the greedy key's rate
    String head =
        "POST /v1/classify HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + KEYS.get("greedy")
            + "\r\nContent-Type: image/png\r\nContent-Length: 900000\r\n\r\n";
    // Two uploads that never finish hold the key's two in-flight slots...
    try (RawHttp first = new RawHttp(port).send(head);
        RawHttp second = new RawHttp(port).send(head);
        RawHttp third = new RawHttp(port)) {
      Thread.sleep(300);
      // ...so the third is refused with no body byte sent; then the body, which Tomcat reads away
      // before it closes the connection.
      third.send(head).awaitAnswer().send(new byte[900_000]);
      RawHttp.Response response = third.read();
      assertThat(response.status()).isEqualTo(429);
      assertThat(response.header("Retry-After")).isEqualTo("1");
      assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(response.body())
          .contains("urn:problem-type:classifier:quota-exceeded")
          .contains("key:greedy is over its quota: more than 2 in flight");
    }
  }

  @Test
  void missingCredentialsAreAnsweredBeforeTheBodyIsSent() {
    try (RawHttp raw = new RawHttp(port)) {
      raw.send(
          "POST /v1/classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
              + "Content-Length: 900000\r\n\r\n");
      raw.awaitAnswer().send(new byte[900_000]);
      RawHttp.Response response = raw.read();
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"classifier\"");
      assertThat(response.body()).contains("urn:problem-type:classifier:unauthorized");
    }
  }
}
