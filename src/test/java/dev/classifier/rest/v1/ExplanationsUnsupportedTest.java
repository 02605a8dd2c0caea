package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The red-mean tiny model has no GlobalAveragePool → dense head: explanations are refused with a
 * typed 400, before the image is decoded, and plain classification is unaffected. (The shared
 * server's tiny CNN can be explained, hence a context of its own.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExplanationsUnsupportedTest {

  @DynamicPropertySource
  static void redMeanModel(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("unexplainable");
    Path model =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 16, 1000, true, "synthetic:7");
    registry.add("classifier.model.path", model::toString);
  }

  @LocalServerPort int port;

  static final String TYPE = "urn:problem-type:classifier:explanations-unsupported";

  static void assertUnsupported(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode problem = HttpTestClient.json(response);
    assertThat(problem.get("type").asString()).isEqualTo(TYPE);
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("title").asString()).isEqualTo("The served model cannot be explained");
  }

  @Test
  void classifyWithExplainAndExplainAreRefusedAndTheModelSaysSo() {
    HttpTestClient http = new HttpTestClient(port);
    byte[] image = TestImages.solid(8, 8, Color.RED, "png");

    assertUnsupported(http.postRaw("/v1/classify?explain=true", "image/png", image));
    assertUnsupported(http.postRaw("/v1/explain", "image/png", image));
    // refused before decoding: the bytes are not even an image
    assertUnsupported(http.postRaw("/v1/explain", "image/png", "not an image".getBytes()));
    assertThat(HttpTestClient.json(http.get("/v1/models/xception")).get("explanations").asBoolean())
        .isFalse();
    assertThat(http.postRaw("/v1/classify", "image/png", image).statusCode()).isEqualTo(200);
  }
}
