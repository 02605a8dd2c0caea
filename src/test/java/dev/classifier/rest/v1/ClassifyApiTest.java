package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.HttpTestClient.Part;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP contract end to end on a random port, with a tiny real ONNX model whose top class is the
 * input's red level: successful responses, and every kind of client error with its exact status and
 * problem type — after each of which the service must still classify.
 */
class ClassifyApiTest extends TinyModelServer {

  private static final String PROBLEM = "urn:problem-type:classifier:";

  HttpTestClient http;

  @BeforeEach
  void client() {
    http = new HttpTestClient(port);
  }

  @AfterEach
  void stillServing() {
    HttpResponse<String> response = http.postRaw("/v1/classify", "image/png", red(102, "png"));
    assertThat(response.statusCode())
        .as("the service keeps classifying after the test's requests")
        .isEqualTo(200);
  }

  private static byte[] red(int red, String format) {
    return TestImages.solid(32, 24, new Color(red, 0, 255), format);
  }

  @Test
  void multipartImagesAreClassifiedInUploadOrder() {
    HttpResponse<String> response =
        http.postMultipart(
            "/v1/classify?topK=2",
            List.of(
                new Part("image", "image/png", red(51, "png")),
                new Part("image", "image/png", red(204, "png"))));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = HttpTestClient.json(response);
    assertThat(body.get("requestId").asString())
        .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(body.at("/model/name").asString()).isEqualTo("xception");
    assertThat(body.at("/model/weights").asString()).isEqualTo("synthetic:7");
    assertThat(body.at("/model/synthetic").asBoolean()).isTrue();
    assertThat(body.at("/model/provider").asString()).isEqualTo("CPU");
    JsonNode results = body.get("results");
    assertThat(results).hasSize(2);
    assertThat(results.get(0).at("/predictions/0/index").asInt())
        .isEqualTo(TinyModels.expectedTop1(51, CLASSES));
    assertThat(results.get(1).at("/predictions/0/index").asInt())
        .isEqualTo(TinyModels.expectedTop1(204, CLASSES));
    assertThat(results.get(0).at("/image/format").asString()).isEqualTo("png");
    assertThat(results.get(0).at("/image/width").asInt()).isEqualTo(32);
    assertThat(results.get(0).at("/image/height").asInt()).isEqualTo(24);
    JsonNode predictions = results.get(1).get("predictions");
    assertThat(predictions).hasSize(2);
    assertThat(predictions.get(0).get("rank").asInt()).isEqualTo(1);
    assertThat(predictions.get(1).get("rank").asInt()).isEqualTo(2);
    assertThat(predictions.get(0).get("score").asDouble())
        .isGreaterThan(predictions.get(1).get("score").asDouble());
    int top = predictions.get(0).get("index").asInt();
    assertThat(predictions.get(0).get("wnid").asString()).startsWith("n");
    assertThat(predictions.get(0).get("label").asString()).isNotBlank();
    assertThat(top).isEqualTo(799);
    JsonNode timings = results.get(0).get("timings");
    for (String stage : List.of("decodeMs", "preprocessMs", "queueMs", "inferenceMs", "totalMs")) {
      assertThat(timings.get(stage).asDouble()).as(stage).isGreaterThanOrEqualTo(0.0);
    }
    assertThat(timings.get("totalMs").asDouble())
        .isGreaterThanOrEqualTo(timings.get("inferenceMs").asDouble());
  }

  @Test
  void aRawBodyIsSniffedRegardlessOfItsDeclaredType() {
    HttpResponse<String> response = http.postRaw("/v1/classify", "image/jpeg", red(255, "png"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode result = HttpTestClient.json(response).at("/results/0");
    assertThat(result.at("/image/format").asString()).isEqualTo("png");
    assertThat(result.get("predictions")).hasSize(3);
    assertThat(result.at("/predictions/0/index").asInt()).isEqualTo(999);
  }

  @Test
  void octetStreamBodiesAreAccepted() {
    HttpResponse<String> response =
        http.postRaw("/v1/classify?topK=1", "application/octet-stream", red(0, "bmp"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode result = HttpTestClient.json(response).at("/results/0");
    assertThat(result.at("/image/format").asString()).isEqualTo("bmp");
    assertThat(result.at("/predictions/0/index").asInt()).isEqualTo(0);
  }

  @Test
  void aWellFormedRequestIdIsEchoedAndABadOneReplaced() {
    HttpResponse<String> kept =
        http.postRaw(
            "/v1/classify", "image/png", red(10, "png"), Map.of("X-Request-Id", "trace-42.a:b_c"));
    assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("trace-42.a:b_c");
    assertThat(HttpTestClient.json(kept).get("requestId").asString()).isEqualTo("trace-42.a:b_c");

    HttpResponse<String> replaced =
        http.postRaw(
            "/v1/classify", "image/png", red(10, "png"), Map.of("X-Request-Id", "x".repeat(129)));
    assertThat(replaced.headers().firstValue("X-Request-Id").orElseThrow())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  @Test
  void topKOutOfRangeOrNotANumberIs400() {
    for (String topK : List.of("0", "1001", "-3", "abc")) {
      assertProblem(
          http.postRaw("/v1/classify?topK=" + topK, "image/png", red(1, "png")),
          400,
          "invalid-top-k");
    }
  }

  @Test
  void multipartWithoutAnImagePartIs400() {
    assertProblem(
        http.postMultipart("/v1/classify", List.of(new Part("file", "image/png", red(1, "png")))),
        400,
        "missing-image");
  }

  @Test
  void anEmptyRawBodyIs400() {
    assertProblem(http.postRaw("/v1/classify", "image/png", new byte[0]), 400, "missing-image");
  }

  @Test
  void moreImagesThanTheLimitIs400() {
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      parts.add(new Part("image", "image/png", red(i, "png")));
    }
    assertProblem(http.postMultipart("/v1/classify", parts), 400, "too-many-images");
  }

  @Test
  void malformedMultipartIs400() {
    byte[] body =
        ("--"
                + HttpTestClient.BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc")
            .getBytes();
    assertProblem(
        http.postRaw(
            "/v1/classify", "multipart/form-data; boundary=" + HttpTestClient.BOUNDARY, body),
        400,
        "malformed-request");
  }

  @Test
  void uploadsOverTheSizeLimitAre413() {
    byte[] big = new byte[1024 * 1024 + 1];
    new Random(1).nextBytes(big);
    assertProblem(http.postRaw("/v1/classify", "image/png", big), 413, "payload-too-large");
    assertProblem(
        http.postMultipart("/v1/classify", List.of(new Part("image", "image/png", big))),
        413,
        "payload-too-large");
  }

  @Test
  void anImageWithTooManyPixelsIs413BeforeDecoding() {
    byte[] huge = TestImages.solid(4000, 1001, Color.RED, "png");
    assertThat(huge.length).isLessThan(1024 * 1024);
    assertProblem(http.postRaw("/v1/classify", "image/png", huge), 413, "image-too-large");
  }

  @Test
  void somethingThatIsNotAnImageIs415() {
    assertProblem(
        http.postRaw("/v1/classify", "application/octet-stream", "hello, not an image".getBytes()),
        415,
        "unsupported-media-type");
  }

  @Test
  void anUndeclaredContentTypeIs415() {
    assertProblem(
        http.postRaw("/v1/classify", "text/plain", "hello".getBytes()),
        415,
        "unsupported-media-type");
  }

  @Test
  void aTruncatedImageIs422() {
    byte[] jpeg = TestImages.solid(200, 200, Color.ORANGE, "jpeg");
    assertProblem(
        http.postRaw("/v1/classify", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 3)),
        422,
        "corrupt-image");
  }

  @Test
  void modelInfoDescribesTheLoadedModel() {
    HttpResponse<String> response = http.get("/v1/models/xception");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode info = HttpTestClient.json(response);
    assertThat(info.at("/input/name").asString()).isEqualTo("input_1");
    assertThat(info.at("/input/layout").asString()).isEqualTo("NHWC");
    assertThat(info.at("/input/shape").toString()).isEqualTo("[-1,16,16,3]");
    assertThat(info.at("/output/name").asString()).isEqualTo("predictions");
    assertThat(info.at("/output/shape").toString()).isEqualTo("[-1,1000]");
    assertThat(info.at("/output/kind").asString()).isEqualTo("probabilities");
    assertThat(info.get("labels").asInt()).isEqualTo(1000);
    assertThat(info.get("weights").asString()).isEqualTo("synthetic:7");
    assertThat(info.get("sha256").asString()).hasSize(64);
    assertThat(info.get("provider").asString()).isEqualTo("CPU");
    int cpus = Runtime.getRuntime().availableProcessors();
    assertThat(info.at("/threads/threading").asString()).isEqualTo(cpus > 1 ? "adaptive" : "fixed");
    assertThat(info.at("/threads/cpus").asInt()).isEqualTo(cpus);
    assertThat(info.at("/threads/workers").asInt()).isEqualTo(cpus);
    assertThat(info.at("/threads/intraOpThreads").asInt()).isEqualTo(cpus);
    assertThat(info.get("ready").asBoolean()).isTrue();
  }

  @Test
  void anUnknownModelIs404() {
    assertProblem(http.get("/v1/models/resnet50"), 404, "not-found");
  }

  @Test
  void aWrongMethodIs405() {
    assertProblem(http.get("/v1/classify"), 405, "method-not-allowed");
  }

  private static void assertProblem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = HttpTestClient.json(response);
    assertThat(problem.get("type").asString()).isEqualTo(PROBLEM + type);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("requestId").asString())
        .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(response.body())
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("trace");
  }
}
