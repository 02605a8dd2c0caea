package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.PrometheusScrape;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Explanations through the real HTTP stack with the explainable tiny CNN, whose maps are known in
 * closed form: the red channel of the upright image, times the class's dense weight.
 */
class ExplainApiTest extends TinyModelServer {

  HttpTestClient http;

  @BeforeEach
  void client() {
    http = new HttpTestClient(port);
  }

  @Test
  void explainAddsEachPredictionsExactMapAndTheExplainTime() {
    int red = 204;
    HttpResponse<String> response =
        http.postRaw(
            "/v1/classify?topK=3&explain=true",
            "image/png",
            TestImages.solid(40, 30, new Color(red, 10, 250), "png"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode result = HttpTestClient.json(response).at("/results/0");
    assertThat(result.at("/predictions/0/index").asInt())
        .isEqualTo(TinyModels.expectedTop1(red, CLASSES));
    // The red feature is x_red + 1 with x_red = 204 / 127.5 - 1: 1.6 everywhere on a solid image.
    for (JsonNode prediction : result.get("predictions")) {
      JsonNode map = prediction.get("map");
      assertThat(map.get("width").asInt()).isEqualTo(SIZE);
      assertThat(map.get("height").asInt()).isEqualTo(SIZE);
      assertThat(map.get("values")).hasSize(SIZE * SIZE);
      double expected = redWeight(prediction.get("index").asInt()) * 1.6;
      // float32 products of about 2000: a few ulps of resampling and convolution rounding
      double tolerance = Math.abs(expected) * 1e-5 + 1e-4;
      assertThat(map.get("min").asDouble()).isCloseTo(expected, offset(tolerance));
      assertThat(map.get("max").asDouble()).isCloseTo(expected, offset(tolerance));
      assertThat(map.at("/values/137").asDouble()).isCloseTo(expected, offset(tolerance));
    }
    assertThat(result.at("/timings/explainMs").isNumber()).isTrue();
    assertThat(result.at("/timings/explainMs").asDouble()).isNotNegative();
  }

  @Test
  void withoutExplainThereIsNoMapAndNoExplainTime() {
    HttpResponse<String> response =
        http.postRaw("/v1/classify", "image/png", TestImages.solid(8, 8, Color.RED, "png"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode result = HttpTestClient.json(response).at("/results/0");
    assertThat(result.at("/predictions/0").has("map")).isFalse();
    assertThat(result.get("timings").has("explainMs")).isFalse();
  }

  @Test
  void explainAnswersAPngOfTheImagesAspectRatioForTheTopClassByDefault() throws Exception {
    int red = 51;
    byte[] image = TestImages.solid(60, 30, new Color(red, 200, 0), "png");

    HttpResponse<byte[]> response = postBytes("/v1/explain", "image/png", image);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("image/png");
    assertThat(response.headers().firstValue("X-Explained-Class"))
        .contains(Integer.toString(TinyModels.expectedTop1(red, CLASSES)));
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(response.body()));
    assertThat(png.getWidth()).isEqualTo(60);
    assertThat(png.getHeight()).isEqualTo(30);
  }

  @Test
  void explainShowsTheClassAskedForAndTakesAMultipartPart() throws Exception {
    byte[] image = TestImages.solid(20, 40, Color.ORANGE, "jpeg");
    byte[] body =
        HttpTestClient.multipart(List.of(new HttpTestClient.Part("image", "image/jpeg", image)));

    HttpResponse<byte[]> response =
        postBytes(
            "/v1/explain?class=3&opacity=0.8",
            "multipart/form-data; boundary=" + HttpTestClient.BOUNDARY,
            body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Explained-Class")).contains("3");
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(response.body()));
    assertThat(png.getWidth()).isEqualTo(20);
    assertThat(png.getHeight()).isEqualTo(40);
  }

  @Test
  void aClassOutsideTheModelIsAnInvalidClassProblem() {
    byte[] image = TestImages.solid(8, 8, Color.GREEN, "png");

    for (String query : List.of("class=1000", "class=-1", "class=cat")) {
      HttpResponse<String> response = http.postRaw("/v1/explain?" + query, "image/png", image);

      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(HttpTestClient.json(response).get("type").asString())
          .isEqualTo("urn:problem-type:classifier:invalid-class");
    }
    HttpResponse<String> opacity = http.postRaw("/v1/explain?opacity=1.5", "image/png", image);
    assertThat(opacity.statusCode()).isEqualTo(400);
    assertThat(HttpTestClient.json(opacity).get("detail").asString())
        .isEqualTo("opacity must be less than or equal to 1, was 1.5");
  }

  @Test
  void twoImagesAreTooManyForOnePicture() {
    byte[] image = TestImages.solid(8, 8, Color.GREEN, "png");
    HttpTestClient.Part part = new HttpTestClient.Part("image", "image/png", image);

    HttpResponse<String> response = http.postMultipart("/v1/explain", List.of(part, part));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode problem = HttpTestClient.json(response);
    assertThat(problem.get("type").asString())
        .isEqualTo("urn:problem-type:classifier:too-many-images");
    assertThat(problem.get("detail").asString())
        .isEqualTo("an explanation takes exactly one image, not 2");
  }

  @Test
  void aTextFileIsRefusedBeforeAnyInference() {
    HttpResponse<String> response =
        http.postRaw("/v1/explain", "application/octet-stream", "hello".getBytes());

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(HttpTestClient.json(response).get("type").asString())
        .isEqualTo("urn:problem-type:classifier:unsupported-media-type");
  }

  @Test
  void theModelListAndTheModelInfoSayExplanationsWork() {
    JsonNode list = HttpTestClient.json(http.get("/v1/models"));
    assertThat(list.get("models")).hasSize(1);
    assertThat(list.at("/models/0/name").asString()).isEqualTo("xception");
    assertThat(list.at("/models/0/explanations").asBoolean()).isTrue();
    assertThat(list.at("/models/0/weights").asString()).isEqualTo("synthetic:7");
    assertThat(HttpTestClient.json(http.get("/v1/models/xception")).get("explanations").asBoolean())
        .isTrue();
  }

  @Test
  void explainTimeIsAMicrometerTimer() {
    double before = explainCount();
    byte[] image = TestImages.solid(8, 8, Color.BLUE, "png");
    assertThat(http.postRaw("/v1/classify?explain=true", "image/png", image).statusCode())
        .isEqualTo(200);
    assertThat(http.postRaw("/v1/classify", "image/png", image).statusCode()).isEqualTo(200);
    assertThat(http.postRaw("/v1/explain", "image/png", image).statusCode()).isEqualTo(200);

    assertThat(explainCount() - before).isEqualTo(2);
  }

  private double explainCount() {
    PrometheusScrape scrape =
        new PrometheusScrape(new HttpTestClient(managementPort).get("/actuator/prometheus").body());
    return scrape.has("classifier_explain_seconds_count")
        ? scrape.value("classifier_explain_seconds_count")
        : 0;
  }

  private HttpResponse<byte[]> postBytes(String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }
}
