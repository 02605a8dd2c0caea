package dev.classifier.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port with a 1000-class tiny model (see {@link TinyModels}), the one
 * server most API tests share: one Spring context, so assertions on counters must work on
 * differences, never on totals, and nothing may leave it changed. Small limits so they are cheap to
 * reach: 1 MB uploads, 4 megapixels, 4 images per request, a 3 MB memory budget, a 2 s request
 * timeout and a 5 s upload timeout; a {@link TestGate} can hold the worker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TinyModelServer.Gate.class)
public abstract class TinyModelServer {

  public static final int CLASSES = 1000;
  public static final int MAX_UPLOAD = 1024 * 1024;

  @DynamicPropertySource
  static void tinyModel(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("tiny-model-server");
    Path model =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 16, CLASSES, true, "synthetic:7");
    registry.add("classifier.model.path", model::toString);
    registry.add("classifier.max-upload-size", () -> "1MB");
    registry.add("classifier.image.max-pixels", () -> "4000000");
    registry.add("classifier.max-images-per-request", () -> "4");
    registry.add("classifier.top-k-default", () -> "3");
    registry.add("classifier.memory.budget", () -> "3MB");
    registry.add("classifier.batching.queue-capacity", () -> "64");
    registry.add("classifier.batching.request-timeout", () -> "2s");
    registry.add("classifier.upload.timeout", () -> "5s");
    registry.add("classifier.metrics.slo", () -> "300ms,750ms");
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class Gate {
    @Bean
    TestGate testGate() {
      return new TestGate();
    }
  }

  @LocalServerPort protected int port;
  @Autowired protected TestGate gate;
}
