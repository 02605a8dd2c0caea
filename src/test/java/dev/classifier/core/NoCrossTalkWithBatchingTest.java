package dev.classifier.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link NoCrossTalkTest}'s 64 concurrent requests, sharing batches of up to 8 images. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NoCrossTalkWithBatchingTest {

  @DynamicPropertySource
  static void batchedTinyModel(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("cross-talk-test");
    Path model =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 16, 1000, true, "synthetic:7");
    registry.add("classifier.model.path", model::toString);
    registry.add(
        "classifier.batching.queue-capacity", () -> Integer.toString(NoCrossTalkTest.REQUESTS));
    registry.add("classifier.batching.max-batch-size", () -> "8");
    registry.add("classifier.batching.max-queue-delay", () -> "20ms");
  }

  @LocalServerPort int port;

  @Test
  void everyResponseCarriesItsOwnImagesClass() throws Exception {
    List<int[]> results = NoCrossTalkTest.classifyConcurrently(port);
    NoCrossTalkTest.assertEachGotItsOwnClass(results);
    assertThat(results).as("requests were actually batched").anyMatch(r -> r[2] > 1);
    assertThat(results).allMatch(r -> r[2] >= 1 && r[2] <= 8);
  }
}
