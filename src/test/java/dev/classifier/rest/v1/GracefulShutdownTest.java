package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.ClassifierApplication;
import dev.classifier.inference.InferenceEngine;
import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestModels;
import dev.classifier.testing.TinyModels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Shutdown order as a load balancer needs it: readiness goes DOWN first while requests are still
 * served for the readiness grace, then queued and in-flight requests finish, and only then does the
 * process stop.
 */
class GracefulShutdownTest {

  @TempDir Path dir;

  private static ConfigurableApplicationContext start(Path model, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--classifier.model.path=" + model,
                "--spring.main.banner-mode=off"));
    args.addAll(List.of(extra));
    return SpringApplication.run(ClassifierApplication.class, args.toArray(String[]::new));
  }

  private static int managementPort(ConfigurableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  @Test
  void readinessGoesDownWhileRequestsAreStillServedDuringTheGrace() throws Exception {
    Path model =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 8, 1000, true, "synthetic:7");
    ConfigurableApplicationContext context =
        start(model, "--classifier.shutdown.readiness-grace=3s");
    HttpTestClient http = new HttpTestClient(port(context));
    HttpTestClient management = new HttpTestClient(managementPort(context));
    assertThat(management.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    byte[] png = dev.classifier.testing.TestImages.solid(8, 8, java.awt.Color.RED, "png");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    int readiness = 200;
    while (readiness == 200 && System.nanoTime() < deadline) {
      readiness = management.get("/actuator/health/readiness").statusCode();
    }
    assertThat(readiness).as("readiness is DOWN as soon as shutdown starts").isEqualTo(503);
    assertThat(http.postRaw("/v1/classify", "image/png", png).statusCode())
        .as("still classifying during the readiness grace")
        .isEqualTo(200);
    closing.get(30, TimeUnit.SECONDS);
  }

  @Test
  void queuedAndInFlightRequestsFinishBeforeTheProcessStops() throws Exception {
    Path model = TestModels.syntheticXception();
    Files.createDirectories(model.getParent());
    ConfigurableApplicationContext context = start(model, "--classifier.batching.queue-capacity=8");
    HttpTestClient http = new HttpTestClient(port(context));
    byte[] jpeg = XceptionEndToEndTest.photoLikeJpeg(320, 240, 3);

    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      requests.add(
          CompletableFuture.supplyAsync(() -> http.postRaw("/v1/classify", "image/jpeg", jpeg)));
    }
    // Shut down only once every request is inside the service (admitted, or already answered) and
    // some are provably waiting, so the test shows they are drained, not lost. A request still on
    // its way in when the connector pauses is refused, which is graceful shutdown working, not
    // this test's subject. At most one session call per CPU runs (inline on a request thread or on
    // a worker), so with more images in flight than CPUs the rest wait (queued, or held by a worker
    // waiting for a slot).
    InferenceEngine classifier = context.getBean(InferenceEngine.class);
    int running = classifier.model().threads().workers();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((classifier.imagesInFlight() + answered(requests) < requests.size()
            || classifier.imagesInFlight() < running + 1)
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(classifier.imagesInFlight() + answered(requests))
        .as("requests inside the service when shutdown starts")
        .isEqualTo(requests.size());
    assertThat(classifier.imagesInFlight() - running)
        .as("images waiting when shutdown starts")
        .isGreaterThanOrEqualTo(1);
    context.close();

    for (CompletableFuture<HttpResponse<String>> request : requests) {
      HttpResponse<String> response = request.get(60, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
  }

  private static long answered(List<CompletableFuture<HttpResponse<String>>> requests) {
    return requests.stream().filter(CompletableFuture::isDone).count();
  }
}
