package dev.classifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.HttpTestClient.Part;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Exactly one line per request, with the request id, status, problem type, image sizes and stage
 * timings.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestLogTest extends TinyModelServer {

  @Test
  void aSuccessLogsImagesSizesAndTimings(CapturedOutput output) {
    byte[] a = TestImages.solid(10, 10, Color.RED, "png");
    byte[] b = TestImages.solid(12, 12, Color.GREEN, "bmp");
    var response =
        new HttpTestClient(port)
            .postRaw(
                "/v1/classify",
                "multipart/form-data; boundary=" + HttpTestClient.BOUNDARY,
                HttpTestClient.multipart(
                    List.of(new Part("image", "image/png", a), new Part("image", "image/bmp", b))),
                Map.of("X-Request-Id", "log-test-ok"));
    assertThat(response.statusCode()).isEqualTo(200);

    List<String> lines = linesOf(output, "log-test-ok");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .containsPattern("request requestId=log-test-ok traceId=[0-9a-f]{32} method=POST ")
        .contains(
            " method=POST path=/v1/classify status=200 caller=anonymous images=2 bytes="
                + a.length
                + ","
                + b.length
                + " totalMs=")
        .containsPattern(
            "decodeMs=[0-9.]+ preprocessMs=[0-9.]+ queueMs=[0-9.]+ inferenceMs=[0-9.]+$");
  }

  @Test
  void anErrorLogsItsProblemType(CapturedOutput output) {
    var response =
        new HttpTestClient(port)
            .postRaw(
                "/v1/classify?topK=0",
                "image/png",
                new byte[] {1, 2, 3},
                Map.of("X-Request-Id", "log-test-bad"));
    assertThat(response.statusCode()).isEqualTo(400);

    List<String> lines = linesOf(output, "log-test-bad");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .containsPattern("request requestId=log-test-bad traceId=[0-9a-f]{32} method=POST ")
        .contains(
            " method=POST path=/v1/classify status=400 caller=anonymous type=invalid-top-k totalMs=")
        .doesNotContain("decodeMs");
  }

  private static List<String> linesOf(CapturedOutput output, String requestId) {
    return output
        .getOut()
        .lines()
        .filter(line -> line.contains("request requestId=" + requestId + " "))
        .toList();
  }
}
