package dev.classifier.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Continuous, bounded classification load: a few clients, each sending one small JPEG at a time to
 * a loopback address until stopped or until the time bound runs out. Every request's start, end and
 * outcome are kept so a test can look at exactly the requests around an event.
 */
final class LoadGenerator implements AutoCloseable {

  /** One request. {@code status} is the HTTP status, or -1 when no response arrived. */
  record Outcome(long startNanos, long endNanos, int status, String error) {

    boolean failed() {
      return status != 200;
    }

    long latencyMillis() {
      return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
    }
  }

  /** Requests started within a window of time, summarised. */
  record Summary(int sent, int failed, long p99Millis, long maxMillis) {

    static Summary of(List<Outcome> outcomes) {
      List<Long> latencies = outcomes.stream().map(Outcome::latencyMillis).sorted().toList();
      long p99 =
          latencies.isEmpty() ? 0 : latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
      long max = latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1);
      return new Summary(
          outcomes.size(), (int) outcomes.stream().filter(Outcome::failed).count(), p99, max);
    }
  }

  private final URI target;
  private final byte[] image;
  private final int clients;
  private final Duration bound;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private ExecutorService pool;

  LoadGenerator(URI target, byte[] image, int clients, Duration bound) {
    this.target = target;
    this.image = image.clone();
    this.clients = clients;
    this.bound = bound;
  }

  void start() {
    long deadline = System.nanoTime() + bound.toNanos();
    pool = Executors.newFixedThreadPool(clients);
    for (int i = 0; i < clients; i++) {
      pool.execute(
          () -> {
            while (!stopped.get() && System.nanoTime() < deadline) {
              outcomes.add(send());
            }
          });
    }
  }

  /** One request, outside the load loop. */
  Outcome sendOnce() {
    return send();
  }

  private Outcome send() {
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "image/jpeg")
            .POST(HttpRequest.BodyPublishers.ofByteArray(image))
            .build();
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String error = response.statusCode() == 200 ? null : response.body();
      return new Outcome(start, System.nanoTime(), response.statusCode(), error);
    } catch (IOException e) {
      return new Outcome(start, System.nanoTime(), -1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(start, System.nanoTime(), -1, e.toString());
    }
  }

  /** Stops the clients after their current request and returns every outcome, in start order. */
  List<Outcome> stop() throws InterruptedException {
    stopped.set(true);
    pool.shutdown();
    if (!pool.awaitTermination(40, TimeUnit.SECONDS)) {
      pool.shutdownNow();
    }
    List<Outcome> all = new ArrayList<>(outcomes);
    all.sort(Comparator.comparingLong(Outcome::startNanos));
    return all;
  }

  static List<Outcome> startedBetween(List<Outcome> outcomes, long fromNanos, long toNanos) {
    return outcomes.stream()
        .filter(o -> o.startNanos() >= fromNanos && o.startNanos() <= toNanos)
        .toList();
  }

  @Override
  public void close() throws InterruptedException {
    if (pool != null && !pool.isTerminated()) {
      stop();
    }
  }
}
