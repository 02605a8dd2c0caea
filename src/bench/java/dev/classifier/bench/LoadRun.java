package dev.classifier.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed-loop load generator: {@code clients} threads each send the same image as a raw {@code
 * image/jpeg} body to {@code POST /v1/classify} over their own keep-alive connection ({@link
 * LeanHttpClient}), one request at a time, until a request count or a duration is reached. Latency
 * is measured at the client, from before sending to the full response body. A client that is
 * refused with 429/503 waits the {@code Retry-After} the service asked for, as a well-behaved
 * client would.
 */
final class LoadRun {

  private static final Pattern TIMING =
      Pattern.compile(
          "\"(decodeMs|preprocessMs|queueMs|inferenceMs|totalMs|batchSize)\":([0-9.Ee+-]+)");

  /** Stage timings the service reported in its 200 responses, per stage name, in milliseconds. */
  record ServerTimings(Map<String, double[]> stages) {
    double medianMs(String stage) {
      double[] values = stages.getOrDefault(stage, new double[0]).clone();
      if (values.length == 0) {
        return Double.NaN;
      }
      Arrays.sort(values);
      return values[(values.length - 1) / 2];
    }
  }

  record Result(
      int clients,
      double wallSeconds,
      Latencies accepted,
      Latencies refused,
      int status429,
      int status503,
      Map<String, Integer> otherErrors,
      ServerTimings server) {

    int requests() {
      return accepted.count() + status429 + status503 + otherErrorCount();
    }

    int otherErrorCount() {
      return otherErrors.values().stream().mapToInt(Integer::intValue).sum();
    }

    double throughput() {
      return accepted.count() / wallSeconds;
    }
  }

  private final URI classify;
  private final byte[] jpeg;
  private final String contentType;
  private final String headers;

  LoadRun(URI classify, byte[] jpeg) {
    this(classify, "image/jpeg", "", jpeg);
  }

  /**
   * Any POST body, e.g. a V2 inference request.
   *
   * @param headers more header lines, each ending in CRLF
   */
  LoadRun(URI target, String contentType, String headers, byte[] body) {
    this.classify = target;
    this.jpeg = body;
    this.contentType = contentType;
    this.headers = headers;
  }

  /** The bytes one request puts on the wire: its head and its body. */
  int requestBytes() {
    return new LeanHttpClient(classify, contentType, headers, jpeg).requestBytes();
  }

  /**
   * @param requests how many requests to send in all (0 = no limit)
   * @param duration how long to keep sending ({@link Duration#ZERO} = no limit)
   * @param onAccepted called with the running count of 200 responses, from the client thread that
   *     got it
   */
  Result run(int clients, int requests, Duration duration, IntConsumer onAccepted)
      throws InterruptedException {
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    List<Client> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < clients; i++) {
      Client client =
          new Client(
              () ->
                  (requests == 0 || issued.getAndIncrement() < requests)
                      && System.nanoTime() < deadline,
              () -> onAccepted.accept(accepted.incrementAndGet()));
      client.thread.start();
      workers.add(client);
    }
    for (Client client : workers) {
      client.thread.join();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    return merge(clients, wall, workers);
  }

  private Result merge(int clients, double wall, List<Client> workers) {
    List<Long> ok = new ArrayList<>();
    List<Long> refused = new ArrayList<>();
    Map<String, List<Double>> stages = new TreeMap<>();
    Map<String, Integer> errors = new TreeMap<>();
    int s429 = 0;
    int s503 = 0;
    for (Client client : workers) {
      ok.addAll(client.ok);
      refused.addAll(client.refused);
      s429 += client.status429;
      s503 += client.status503;
      client.errors.forEach((kind, n) -> errors.merge(kind, n, Integer::sum));
      client.stages.forEach(
          (stage, values) -> stages.computeIfAbsent(stage, k -> new ArrayList<>()).addAll(values));
    }
    Map<String, double[]> stageArrays = new TreeMap<>();
    stages.forEach(
        (stage, values) ->
            stageArrays.put(stage, values.stream().mapToDouble(Double::doubleValue).toArray()));
    return new Result(
        clients,
        wall,
        Latencies.of(ok.stream().mapToLong(Long::longValue).toArray()),
        Latencies.of(refused.stream().mapToLong(Long::longValue).toArray()),
        s429,
        s503,
        errors,
        new ServerTimings(stageArrays));
  }

  /**
   * One client: its own thread and its own tallies, merged after the run so the hot loop shares
   * nothing.
   */
  private final class Client {
    final List<Long> ok = new ArrayList<>();
    final List<Long> refused = new ArrayList<>();
    final Map<String, List<Double>> stages = new HashMap<>();
    final Map<String, Integer> errors = new TreeMap<>();
    int status429;
    int status503;
    final Thread thread;

    Client(BooleanSupplier more, Runnable acceptedHook) {
      thread = new Thread(() -> loop(more, acceptedHook), "bench-client");
    }

    private void loop(BooleanSupplier more, Runnable acceptedHook) {
      try (LeanHttpClient http = new LeanHttpClient(classify, contentType, headers, jpeg)) {
        loop(http, more, acceptedHook);
      }
    }

    private void loop(LeanHttpClient http, BooleanSupplier more, Runnable acceptedHook) {
      while (more.getAsBoolean()) {
        long start = System.nanoTime();
        try {
          LeanHttpClient.Response response = http.send();
          long nanos = System.nanoTime() - start;
          int status = response.status();
          if (status == 200) {
            ok.add(nanos);
            Matcher m = TIMING.matcher(response.body());
            while (m.find()) {
              stages
                  .computeIfAbsent(m.group(1), k -> new ArrayList<>())
                  .add(Double.parseDouble(m.group(2)));
            }
            acceptedHook.run();
          } else if (status == 429 || status == 503) {
            refused.add(nanos);
            if (status == 429) {
              status429++;
            } else {
              status503++;
            }
            long seconds = response.retryAfterSeconds() < 0 ? 1 : response.retryAfterSeconds();
            Thread.sleep(Math.min(seconds, 10) * 1000);
          } else {
            errors.merge("HTTP " + status, 1, Integer::sum);
          }
        } catch (IOException e) {
          errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
