package dev.classifier.rest.v2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * POST /v2/models/{m}/infer on the live service: hostile and mistaken requests are each a 4xx with
 * {@code {"error": …}} (the transport's own refusals too), never a 5xx; inference is counted with
 * {@code protocol=v2-rest}.
 */
class V2InferApiTest extends TinyModelServer {

  @Autowired MeterRegistry registry;

  private final HttpClient client = HttpClient.newHttpClient();

  private static final String IMAGE =
      Base64.getEncoder().encodeToString(TestImages.solid(32, 24, new Color(60, 0, 255), "png"));

  private static String imageRequest(String data) {
    return "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\""
        + data
        + "\"]}]}";
  }

  @Test
  void anInferenceIsCountedAsV2Rest() throws Exception {
    double before = count("success");
    HttpResponse<String> response =
        post("/v2/models/xception-image/infer", "application/json", imageRequest(IMAGE), null);
    assertThat(response.statusCode()).isEqualTo(200);
    // Counted when the exchange completes, which may be just after the client has its answer.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (count("success") - before < 1 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(count("success") - before).isEqualTo(1);
  }

  @Test
  void mistakesAreClientErrorsWithAnErrorBody() throws Exception {
    assertError(
        post("/v2/models/resnet/infer", "application/json", imageRequest(IMAGE), null),
        404,
        "{\"error\":\"unknown model 'resnet'; this service has [xception, xception-image]\"}");
    assertError(
        post(
            "/v2/models/xception-image/versions/7/infer",
            "application/json",
            imageRequest(IMAGE),
            null),
        404,
        "{\"error\":\"model 'xception-image' has no version '7'; it has [1]\"}");
    assertError(
        post(
            "/v2/models/xception-image/infer",
            "application/json",
            imageRequest("@@not base64@@"),
            null),
        400,
        null);
    assertError(
        post(
            "/v2/models/xception-image/infer",
            "application/json",
            imageRequest(Base64.getEncoder().encodeToString("not an image".getBytes())),
            null),
        400,
        null);
    assertError(
        post(
            "/v2/models/xception-image/infer",
            "application/json",
            "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,2],\"datatype\":\"BYTES\",\"data\":[\""
                + IMAGE
                + "\",\""
                + IMAGE
                + "\"]}]}",
            null),
        400,
        null);
    assertError(
        post(
            "/v2/models/xception/infer",
            "application/json",
            "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,16,16,3],\"datatype\":\"INT32\","
                + "\"data\":[1]}]}",
            null),
        400,
        null);
    StringBuilder thousand = new StringBuilder("{\"inputs\":[");
    for (int i = 0; i < 1000; i++) {
      thousand
          .append(i == 0 ? "" : ",")
          .append("{\"name\":\"i")
          .append(i)
          .append("\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[0]}");
    }
    assertError(
        post("/v2/models/xception/infer", "application/json", thousand + "]}", null), 400, null);
    assertError(
        post("/v2/models/xception-image/infer", "application/octet-stream", "{}", "999"),
        400,
        null);
    assertError(
        post("/v2/models/xception-image/infer", "application/octet-stream", "{}", "twelve"),
        400,
        null);
  }

  @Test
  void theTransportsOwnRefusalsAreV2Errors() throws Exception {
    String tooLarge = "x".repeat(MAX_UPLOAD + 1);
    HttpResponse<String> response =
        post("/v2/models/xception-image/infer", "application/json", tooLarge, null);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).startsWith("{\"error\":\"");
  }

  private static void assertError(HttpResponse<String> response, int status, String body) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    if (body != null) {
      assertThat(response.body()).isEqualTo(body);
    } else {
      assertThat(response.body()).startsWith("{\"error\":\"");
    }
  }

  private double count(String outcome) {
    Counter counter =
        registry
            .find("classifier.classifications")
            .tags("protocol", "v2-rest", "outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private HttpResponse<String> post(
      String path, String contentType, String body, String headerLength) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (headerLength != null) {
      request.header("Inference-Header-Content-Length", headerLength);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
