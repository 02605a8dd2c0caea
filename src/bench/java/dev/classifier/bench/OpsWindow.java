package dev.classifier.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * One closed-loop window: {@code clients} threads, each on its own keep-alive connection, POST the
 * image {@code images} gives for each draw to {@code /v1/classify} until the window ends (or a
 * request count is reached).
 */
record OpsWindow(Latencies latencies, double wallSeconds, int cached, int refused) {

  double imagesPerSecond() {
    return latencies.count() / wallSeconds;
  }

  static OpsWindow run(
      URI base, int clients, Duration window, LongFunction<byte[]> images, long seed)
      throws InterruptedException {
    return run(
        base, clients, System.nanoTime() + window.toNanos(), Integer.MAX_VALUE, images, seed);
  }

  static OpsWindow run(URI base, int clients, int requests, LongFunction<byte[]> images)
      throws InterruptedException {
    return run(base, clients, Long.MAX_VALUE, requests, images, 0);
  }

  private static OpsWindow run(
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
                      // As asked, but not past the window: a client asleep after it would
                      // stretch the window's wall time and understate images/s.
                      long wait = Math.max(0, response.retryAfterSeconds()) * 1_000_000_000L;
                      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(
                          Math.max(0, Math.min(wait, deadline - System.nanoTime())));
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
    return new OpsWindow(
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
