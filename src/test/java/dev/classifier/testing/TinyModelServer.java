package dev.classifier.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port with a 1000-class tiny model (see {@link TinyModels}). Test
 * classes that extend it share one Spring context, so assertions on counters must work on
 * differences, never on totals.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class TinyModelServer {

  public static final int CLASSES = 1000;

  @DynamicPropertySource
  static void tinyModel(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("tiny-model-server");
    Path model =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 16, CLASSES, true, "synthetic:7");
    registry.add("classifier.model.path", model::toString);
    registry.add("classifier.max-images-per-request", () -> "4");
    registry.add("classifier.metrics.slo", () -> "300ms,750ms");
  }

  @LocalServerPort protected int port;
}
