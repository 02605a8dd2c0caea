package dev.classifier.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.inference.Inference;
import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.PrometheusScrape;
import dev.classifier.testing.TestGate;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import java.awt.Color;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The autoscaling signal, {@code classifier_images_in_flight}, read from the Prometheus endpoint
 * while every inference worker is held on one image and a known number of images wait behind them:
 * it must be exactly running + queued, and fall back to zero once all are answered.
 */
class ImagesInFlightTest extends TinyModelServer {

  private static final int QUEUED = 5;

  @Autowired Inference inference;

  @Test
  void theGaugeIsRunningPlusQueuedExactlyUnderAHeldBatch() throws Exception {
    HttpTestClient http = new HttpTestClient(port);
    int workers = inference.model().threads().workers();
    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    List<TestGate.Held> held = new ArrayList<>();
    // Max batch size 1: each worker is held with exactly one image in its session call.
    for (int w = 0; w < workers; w++) {
      TestGate.Held worker = gate.holdNextBatch();
      requests.add(post(http, w));
      worker.awaitHeld();
      held.add(worker);
    }
    for (int i = 0; i < QUEUED; i++) {
      requests.add(post(http, workers + i));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inference.imagesInFlight() < workers + QUEUED && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    PrometheusScrape during = scrape(http);
    held.forEach(TestGate.Held::release);
    for (CompletableFuture<HttpResponse<String>> request : requests) {
      assertThat(request.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    // A held image may run on its request thread (a lone image and a free slot run inline), so a
    // worker can hold one queued image while it waits for a slot: up to one per worker leaves the
    // queue before its call. In flight counts it either way.
    assertThat(during.value("classifier_queue_depth"))
        .isBetween((double) QUEUED - workers, (double) QUEUED);
    assertThat(during.value("classifier_images_in_flight")).isEqualTo(workers + QUEUED);
    // The gauge falls as each future completes, which may be a moment after the response is sent.
    while (inference.imagesInFlight() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(scrape(http).value("classifier_images_in_flight")).isZero();
  }

  private static CompletableFuture<HttpResponse<String>> post(HttpTestClient http, int i) {
    byte[] png = TestImages.solid(20, 20, new Color(10 * i, 0, 0), "png");
    return CompletableFuture.supplyAsync(() -> http.postRaw("/v1/classify", "image/png", png));
  }

  private PrometheusScrape scrape(HttpTestClient http) {
    return new PrometheusScrape(
        new HttpTestClient(managementPort).get("/actuator/prometheus").body());
  }
}
