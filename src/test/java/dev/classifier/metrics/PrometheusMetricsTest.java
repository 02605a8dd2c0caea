package dev.classifier.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.HttpTestClient.Part;
import dev.classifier.testing.PrometheusScrape;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import java.awt.Color;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives known traffic through the running service and reads {@code /actuator/prometheus} before
 * and after: each series must exist under its Prometheus name and move by exactly what the traffic
 * implies. Differences, because the Spring context (and its registry) is shared with other test
 * classes.
 */
class PrometheusMetricsTest extends TinyModelServer {

  HttpTestClient http;

  @BeforeEach
  void client() {
    http = new HttpTestClient(port);
  }

  private PrometheusScrape scrape() {
    HttpResponse<String> response = new HttpTestClient(managementPort).get("/actuator/prometheus");
    assertThat(response.statusCode()).isEqualTo(200);
    return new PrometheusScrape(response.body());
  }

  private static byte[] png(int red) {
    return TestImages.solid(20, 20, new Color(red, 0, 0), "png");
  }

  @Test
  void classificationsAndErrorsAreCountedAndTimed() {
    PrometheusScrape before = scrape();

    // 3 successful requests carrying 4 images (max batch size 1: 4 session calls)...
    assertThat(http.postRaw("/v1/classify", "image/png", png(10)).statusCode()).isEqualTo(200);
    assertThat(http.postRaw("/v1/classify", "application/octet-stream", png(20)).statusCode())
        .isEqualTo(200);
    assertThat(
            http.postMultipart(
                    "/v1/classify",
                    List.of(
                        new Part("image", "image/png", png(30)),
                        new Part("image", "image/png", png(40))))
                .statusCode())
        .isEqualTo(200);
    // ...and 3 bad ones, none of which reaches decoding or inference but the text sniffing.
    assertThat(http.postRaw("/v1/classify", "image/png", "not an image".getBytes()).statusCode())
        .isEqualTo(415);
    assertThat(http.postRaw("/v1/classify?topK=0", "image/png", png(50)).statusCode())
        .isEqualTo(400);
    assertThat(http.postRaw("/v1/classify?topK=2000", "image/png", png(50)).statusCode())
        .isEqualTo(400);

    PrometheusScrape after = scrape();
    String total = "classifier_classifications_total";
    assertThat(delta(before, after, total, "outcome", "success", "type", "none", "protocol", "v1"))
        .isEqualTo(3);
    assertThat(
            delta(
                before,
                after,
                total,
                "outcome",
                "client_error",
                "type",
                "unsupported-media-type",
                "protocol",
                "v1"))
        .isEqualTo(1);
    assertThat(
            delta(
                before,
                after,
                total,
                "outcome",
                "client_error",
                "type",
                "invalid-top-k",
                "protocol",
                "v1"))
        .isEqualTo(2);
    assertThat(delta(before, after, "classifier_request_seconds_count")).isEqualTo(6);
    assertThat(delta(before, after, "classifier_decode_seconds_count")).isEqualTo(4);
    assertThat(delta(before, after, "classifier_preprocess_seconds_count")).isEqualTo(4);
    assertThat(delta(before, after, "classifier_queue_wait_seconds_count")).isEqualTo(4);
    assertThat(delta(before, after, "classifier_inference_seconds_count")).isEqualTo(4);
    assertThat(delta(before, after, "classifier_batch_size_count")).isEqualTo(4);
    assertThat(delta(before, after, "classifier_batch_size_sum")).isEqualTo(4);
    assertThat(delta(before, after, "classifier_batch_size_bucket", "le", "1.0")).isEqualTo(4);
    // Every observation falls in the last finite bucket (30 s) and in +Inf.
    assertThat(delta(before, after, "classifier_inference_seconds_bucket", "le", "30.0"))
        .isEqualTo(4);
    assertThat(delta(before, after, "classifier_request_seconds_bucket", "le", "+Inf"))
        .isEqualTo(6);
    assertThat(after.value("classifier_requests_in_flight")).isZero();
    assertThat(after.value("classifier_queue_depth")).isZero();
  }

  @Test
  void latencyHistogramsHaveTheFixedBucketsAndTheConfiguredSlos() {
    PrometheusScrape scrape = scrape();
    for (String timer : List.of("request", "decode", "preprocess", "queue_wait", "inference")) {
      List<String> buckets = scrape.labelValues("classifier_" + timer + "_seconds_bucket", "le");
      assertThat(buckets)
          .as(timer)
          .containsExactly(
              "0.001", "0.002", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.3", "0.5",
              "0.75", "1.0", "2.5", "5.0", "10.0", "30.0", "+Inf");
    }
  }

  @Test
  void theModelIsDescribedByAnInfoGauge() {
    PrometheusScrape scrape = scrape();
    assertThat(
            scrape.value(
                "classifier_model_info",
                "weights",
                "synthetic:7",
                "synthetic",
                "true",
                "precision",
                "fp32",
                "provider",
                "CPU"))
        .isEqualTo(1.0);
  }

  private static double delta(
      PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
    assertThat(after.has(name, labels)).as("series %s %s exists", name, List.of(labels)).isTrue();
    return after.value(name, labels) - before.value(name, labels);
  }
}
