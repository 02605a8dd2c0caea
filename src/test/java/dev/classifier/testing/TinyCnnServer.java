package dev.classifier.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port with the explainable tiny CNN ({@link TinyModels#writeCnn},
 * 1000 classes, 16 × 16 NHWC input, feature output {@code features} [N, 2, 16, 16]): its class
 * activation maps are the red channel scaled by each class's weight. Test classes that extend it
 * share one Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class TinyCnnServer {

  public static final int CLASSES = 1000;
  public static final int SIZE = 16;

  @DynamicPropertySource
  static void tinyCnn(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("tiny-cnn-server");
    Path model =
        TinyModels.writeCnn(
            dir.resolve("cnn.onnx"), TinyModels.Layout.NHWC, SIZE, CLASSES, true, "synthetic:7");
    registry.add("classifier.model.path", model::toString);
  }

  @LocalServerPort protected int port;

  /** The dense weight of class {@code c} on the red feature channel (the blue one's is zero). */
  public static float redWeight(int c) {
    return 2000f * (-1f + 2f * c / (CLASSES - 1));
  }
}
