package dev.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.ClassifierApplication;
import dev.classifier.inference.BatchListener;
import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Health follows the model's life. Readiness: OUT_OF_SERVICE (HTTP 503) while the warm-up inference
 * has not finished, UP after it, and OUT_OF_SERVICE again as soon as shutdown begins, while the
 * server still answers. Liveness stays UP throughout. The app is started by hand so the test can
 * hold the warm-up and the shutdown at exact points with latches: no sleeps.
 */
class ReadinessTest {

  @TempDir Path dir;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final CountDownLatch warmUpEntered = new CountDownLatch(1);
  private final CountDownLatch releaseWarmUp = new CountDownLatch(1);
  private final CountDownLatch shutdownBegan = new CountDownLatch(1);
  private final CountDownLatch releaseShutdown = new CountDownLatch(1);

  /** Holds the first image the scheduler dequeues, which is the warm-up's. */
  private final BatchListener warmUpGate =
      new BatchListener() {
        @Override
        public void dequeued(long queueNanos) {
          warmUpEntered.countDown();
          await(releaseWarmUp);
        }
      };

  /**
   * Stops first (highest phase, like {@link ReadinessGrace}): after the context announced
   * REFUSING_TRAFFIC, before the web server stops. Holding it there lets the test ask the
   * still-running server.
   */
  private final SmartLifecycle shutdownGate =
      new SmartLifecycle() {
        private volatile boolean running;

        @Override
        public void start() {
          running = true;
        }

        @Override
        public void stop() {
          running = false;
          shutdownBegan.countDown();
          await(releaseShutdown);
        }

        @Override
        public boolean isRunning() {
          return running;
        }

        @Override
        public int getPhase() {
          return Integer.MAX_VALUE;
        }
      };

  @AfterEach
  void release() {
    releaseWarmUp.countDown();
    releaseShutdown.countDown();
    executor.shutdownNow();
  }

  @Test
  void readinessIsDownUntilWarmUpCompletesAndWhenShutdownBegins() throws Exception {
    Path model =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 16, 1000, true, "synthetic:3");
    CompletableFuture<Integer> port = new CompletableFuture<>();
    CompletableFuture<Integer> managementPort = new CompletableFuture<>();
    SpringApplication app = new SpringApplication(ClassifierApplication.class);
    app.addInitializers(
        context -> {
          ((GenericApplicationContext) context)
              .registerBean("warmUpGate", BatchListener.class, () -> warmUpGate);
          ((GenericApplicationContext) context)
              .registerBean("shutdownGate", SmartLifecycle.class, () -> shutdownGate);
        });
    app.addListeners(
        event -> {
          if (event instanceof WebServerInitializedEvent started) {
            // Health is served by the management port's own server.
            ("management".equals(started.getApplicationContext().getServerNamespace())
                    ? managementPort
                    : port)
                .complete(started.getWebServer().getPort());
          }
        });
    CompletableFuture<ConfigurableApplicationContext> running =
        CompletableFuture.supplyAsync(
            () ->
                app.run(
                    "--server.port=0",
                    "--management.server.port=0",
                    "--classifier.model.path=" + model,
                    "--spring.jmx.enabled=false"),
            executor);

    HttpTestClient http = new HttpTestClient(port.get(60, TimeUnit.SECONDS));
    HttpTestClient management = new HttpTestClient(managementPort.get(60, TimeUnit.SECONDS));
    assertThat(warmUpEntered.await(60, TimeUnit.SECONDS))
        .as("warm-up reached the scheduler")
        .isTrue();

    assertThat(status(management.get("/actuator/health/readiness")))
        .isEqualTo("503 OUT_OF_SERVICE");
    assertThat(status(management.get("/actuator/health/liveness"))).isEqualTo("200 UP");
    HttpResponse<String> early = http.postRaw("/v1/classify", "image/png", png());
    assertThat(early.statusCode()).isEqualTo(503);
    assertThat(HttpTestClient.json(early).get("type").asString())
        .isEqualTo("urn:problem-type:classifier:not-ready");
    assertThat(running).isNotDone();

    releaseWarmUp.countDown();
    ConfigurableApplicationContext context = running.get(60, TimeUnit.SECONDS);
    // run() returns after the runners and the ACCEPTING_TRAFFIC event: nothing to wait for.
    assertThat(status(management.get("/actuator/health/readiness"))).isEqualTo("200 UP");
    assertThat(status(management.get("/actuator/health/liveness"))).isEqualTo("200 UP");
    assertThat(http.postRaw("/v1/classify", "image/png", png()).statusCode()).isEqualTo(200);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close, executor);
    assertThat(shutdownBegan.await(60, TimeUnit.SECONDS)).as("shutdown began").isTrue();
    assertThat(status(management.get("/actuator/health/readiness")))
        .isEqualTo("503 OUT_OF_SERVICE");
    assertThat(status(management.get("/actuator/health/liveness"))).isEqualTo("200 UP");
    releaseShutdown.countDown();
    closing.get(60, TimeUnit.SECONDS);
  }

  @Test
  void livenessGoesDownWhenTheInferenceWorkerDies() throws Exception {
    Path model =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 16, 1000, true, "synthetic:3");
    AtomicBoolean armed = new AtomicBoolean();
    BatchListener killer =
        new BatchListener() {
          @Override
          public void batchExecuted(int batchSize, long inferenceNanos) {
            if (armed.get()) {
              throw new Error("killed by the test");
            }
          }
        };
    SpringApplication app = new SpringApplication(ClassifierApplication.class);
    app.addInitializers(
        context ->
            ((GenericApplicationContext) context)
                .registerBean("killer", BatchListener.class, () -> killer));
    try (ConfigurableApplicationContext context =
        app.run(
            "--server.port=0",
            "--management.server.port=0",
            "--classifier.model.path=" + model,
            "--spring.jmx.enabled=false",
            // One worker, so the first death leaves none: liveness goes DOWN on any worker's death
            // (BatchScheduler#healthy), and with one there is no survivor to answer the next
            // request.
            "--classifier.inference.threading=fixed")) {
      HttpTestClient http =
          new HttpTestClient(((WebServerApplicationContext) context).getWebServer().getPort());
      HttpTestClient management =
          new HttpTestClient(
              context.getEnvironment().getRequiredProperty("local.management.port", Integer.class));
      assertThat(http.postRaw("/v1/classify", "image/png", png()).statusCode()).isEqualTo(200);

      armed.set(true);
      HttpResponse<String> victim = http.postRaw("/v1/classify", "image/png", png());
      assertThat(victim.statusCode()).isEqualTo(500);
      assertThat(HttpTestClient.json(victim).get("type").asString())
          .isEqualTo("urn:problem-type:classifier:internal-error");

      assertThat(status(management.get("/actuator/health/liveness"))).isEqualTo("503 DOWN");
      assertThat(status(management.get("/actuator/health/readiness")))
          .isEqualTo("503 OUT_OF_SERVICE");
      HttpResponse<String> after = http.postRaw("/v1/classify", "image/png", png());
      assertThat(after.statusCode()).isEqualTo(503);
      assertThat(HttpTestClient.json(after).get("detail").asString())
          .isEqualTo("no inference worker is running; the service must be restarted");
    }
  }

  private static String status(HttpResponse<String> response) {
    JsonNode body = HttpTestClient.json(response);
    return response.statusCode() + " " + body.get("status").asString();
  }

  private static byte[] png() {
    return TestImages.solid(16, 16, new Color(200, 0, 0), "png");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
