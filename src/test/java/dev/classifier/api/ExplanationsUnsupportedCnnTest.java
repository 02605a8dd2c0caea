package dev.classifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The tiny CNN has Xception's head, but without its feature map as an output (like a model built
 * before builder version 2): it still classifies, and explanations are refused as unsupported.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExplanationsUnsupportedCnnTest {

  @DynamicPropertySource
  static void cnnWithoutFeatureOutput(DynamicPropertyRegistry registry) throws IOException {
    Path model =
        TinyModels.writeCnn(
            Files.createTempDirectory("cnn-no-features").resolve("cnn.onnx"),
            TinyModels.Layout.NCHW,
            16,
            1000,
            false,
            "synthetic:7");
    registry.add("classifier.model.path", model::toString);
  }

  @LocalServerPort int port;

  @Test
  void classifiesButRefusesToExplain() {
    HttpTestClient http = new HttpTestClient(port);
    byte[] image = TestImages.solid(8, 8, new Color(102, 0, 0), "png");

    ExplanationsUnsupportedTest.assertUnsupported(
        http.postRaw("/v1/classify?explain=true", "image/png", image));
    ExplanationsUnsupportedTest.assertUnsupported(http.postRaw("/v1/explain", "image/png", image));
    assertThat(HttpTestClient.json(http.get("/v1/models")).at("/models/0/explanations").asBoolean())
        .isFalse();
    assertThat(
            HttpTestClient.json(http.postRaw("/v1/classify", "image/png", image))
                .at("/results/0/predictions/0/index")
                .asInt())
        .isEqualTo(TinyModels.expectedTop1(102, 1000));
  }
}
