package dev.classifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.TinyModels;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.context.support.ServletRequestHandledEvent;

/**
 * Before readiness, the service sends itself real requests through its own HTTP port, under a
 * context path: each round two raw classifications, one multipart one with both images, one with
 * explanations, one explanation picture and the two model-info reads, and one V2 inference and V2
 * model read. All of them succeed and are counted like any other request, and none publishes a
 * Spring application event.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "classifier.warm-up.http-rounds=2",
      "server.servlet.context-path=/api",
      // No extra rounds while the JIT compiles (they run within the settle timeout): exact counts.
      "classifier.warm-up.settle-timeout=0s"
    })
class HttpWarmUpTest {

  @Autowired MeterRegistry registry;
  @Autowired RequestHandledEvents events;

  /** Counts the event Spring MVC publishes after each request unless told not to. */
  @TestConfiguration
  static class RequestHandledEvents {
    final AtomicInteger seen = new AtomicInteger();

    @EventListener
    void on(ServletRequestHandledEvent event) {
      seen.incrementAndGet();
    }
  }

  @DynamicPropertySource
  static void model(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("http-warm-up");
    Path model =
        TinyModels.writeCnn(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 16, 1000, true, "synthetic:7");
    registry.add("classifier.model.path", model::toString);
  }

  @Test
  void everyWarmUpRequestSucceededThroughTheRealServer() {
    double classifications =
        registry
            .get("classifier.classifications")
            .tag("outcome", "success")
            .tag("type", "none")
            .tag("protocol", "v1")
            .counter()
            .count();
    assertThat(classifications).isEqualTo(2 * 5);
    double v2 =
        registry
            .get("classifier.classifications")
            .tag("outcome", "success")
            .tag("type", "none")
            .tag("protocol", "v2-rest")
            .counter()
            .count();
    assertThat(v2).as("the V2 door's warm-up inference").isEqualTo(2 * 1);
    assertThat(registry.find("classifier.classifications").tag("outcome", "client_error").counter())
        .isNull();
    assertThat(registry.find("classifier.classifications").tag("outcome", "server_error").counter())
        .isNull();
    long modelInfoReads =
        registry.get("http.server.requests").tag("method", "GET").timers().stream()
            .filter(timer -> timer.getId().getTag("uri").startsWith("/v1/models"))
            .filter(timer -> "200".equals(timer.getId().getTag("status")))
            .mapToLong(timer -> timer.count())
            .sum();
    assertThat(modelInfoReads).isEqualTo(2 * 2);
  }

  @Test
  void noRequestPublishesAnApplicationEvent() {
    // Nothing listens to it, and publishing it cost 0.14 ms a request; with it on, the warm-up's
    // requests here published 23.
    assertThat(events.seen).hasValue(0);
  }
}
