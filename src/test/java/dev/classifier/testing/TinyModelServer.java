package dev.classifier.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port with the explainable tiny CNN ({@link TinyModels#writeCnn},
 * 1000 classes, 16 x 16 NHWC input, feature output {@code features} [N, 2, 16, 16], whose class
 * activation maps are the red channel scaled by each class's weight), the one server most API tests
 * share: one Spring context, so assertions on counters must work on differences, never on totals,
 * and nothing may leave it changed. Small limits so they are cheap to reach: 1 MB uploads, 4
 * megapixels, 4 images per request, a 3 MB memory budget, a 2 s request timeout and a 5 s upload
 * timeout; a {@link TestGate} can hold the worker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TinyModelServer.Gate.class)
public abstract class TinyModelServer {

  public static final int CLASSES = 1000;
  public static final int SIZE = 16;
  public static final int MAX_UPLOAD = 1024 * 1024;

  @DynamicPropertySource
  static void tinyModel(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("tiny-model-server");
    Path model =
        TinyModels.writeCnn(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, SIZE, CLASSES, true, "synthetic:7");
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

  /** The dense weight of class {@code c} on the red feature channel (the blue one's is zero). */
  public static float redWeight(int c) {
    return 2000f * (-1f + 2f * c / (CLASSES - 1));
  }

  @LocalServerPort protected int port;

  /** Health, info and Prometheus: the management port, random here as the API's is. */
  @LocalManagementPort protected int managementPort;

  @Autowired protected TestGate gate;
}
