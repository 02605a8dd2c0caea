package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.HttpTestClient.Part;
import dev.classifier.testing.PrometheusScrape;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/classify} with the result cache on: a repeated image is answered from the cache
 * ({@code "cached": true}) without a session call, a cached answer never serves more predictions
 * than it holds nor an explanation it did not compute, and the HTTP side: ETag, Cache-Control and
 * 304 for a matching If-None-Match. Each test uses images of its own colour, so none sees another's
 * entries.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResultCacheApiTest {

  @DynamicPropertySource
  static void service(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("result-cache-test");
    Path model =
        TinyModels.writeCnn(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 16, 1000, true, "synthetic:7");
    registry.add("classifier.model.path", model::toString);
    registry.add("classifier.cache.enabled", () -> "true");
    registry.add("classifier.cache.ttl", () -> "90s");
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  private HttpResponse<String> classify(byte[] png, String query, Map<String, String> headers) {
    return new HttpTestClient(port).postRaw("/v1/classify" + query, "image/png", png, headers);
  }

  private static byte[] png(int red) {
    return TestImages.solid(20, 20, new Color(red, 40, 0), "png");
  }

  private double sessionCalls() {
    return new PrometheusScrape(
            new HttpTestClient(managementPort).get("/actuator/prometheus").body())
        .value("classifier_inference_seconds_count");
  }

  @Test
  void aRepeatedImageIsAnsweredFromTheCacheWithoutInference() {
    byte[] image = png(11);
    JsonNode first = HttpTestClient.json(classify(image, "?topK=5", Map.of()));
    double calls = sessionCalls();
    JsonNode second = HttpTestClient.json(classify(image, "?topK=5", Map.of()));

    assertThat(sessionCalls()).isEqualTo(calls);
    assertThat(first.at("/results/0/timings").has("cached")).isFalse();
    assertThat(second.at("/results/0/timings/cached").asBoolean()).isTrue();
    assertThat(second.at("/results/0/timings/inferenceMs").asDouble()).isZero();
    assertThat(second.at("/results/0/predictions")).isEqualTo(first.at("/results/0/predictions"));
    assertThat(second.at("/results/0/image")).isEqualTo(first.at("/results/0/image"));
  }

  @Test
  void fewerPredictionsAreAHitAndMoreOrAnExplanationAreAMiss() {
    byte[] image = png(22);
    JsonNode five = HttpTestClient.json(classify(image, "?topK=5", Map.of()));

    JsonNode two = HttpTestClient.json(classify(image, "?topK=2", Map.of()));
    assertThat(two.at("/results/0/timings/cached").asBoolean()).isTrue();
    assertThat(two.at("/results/0/predictions")).hasSize(2);
    assertThat(two.at("/results/0/predictions/1")).isEqualTo(five.at("/results/0/predictions/1"));

    JsonNode six = HttpTestClient.json(classify(image, "?topK=6", Map.of()));
    assertThat(six.at("/results/0/timings").has("cached")).isFalse();
    assertThat(six.at("/results/0/predictions")).hasSize(6);

    JsonNode explained = HttpTestClient.json(classify(image, "?topK=2&explain=true", Map.of()));
    assertThat(explained.at("/results/0/timings").has("cached")).isFalse();
    assertThat(explained.at("/results/0/predictions/0/map").isObject()).isTrue();
  }

  @Test
  void aRequestMixingCachedAndNewImagesComputesOnlyTheNewOnesInOrder() {
    byte[] known = png(33);
    byte[] fresh = png(44);
    classify(known, "?topK=3", Map.of());
    double calls = sessionCalls();

    JsonNode both =
        HttpTestClient.json(
            new HttpTestClient(port)
                .postMultipart(
                    "/v1/classify?topK=3",
                    List.of(
                        new Part("image", "image/png", fresh),
                        new Part("image", "image/png", known))));

    assertThat(sessionCalls() - calls).isEqualTo(1);
    assertThat(both.at("/results/0/timings").has("cached")).isFalse();
    assertThat(both.at("/results/1/timings/cached").asBoolean()).isTrue();
  }

  @Test
  void theAnswerCarriesAnEtagAndAMatchingIfNoneMatchIs304WithoutWork() {
    byte[] image = png(55);
    HttpResponse<String> first = classify(image, "?topK=4", Map.of());
    String etag = first.headers().firstValue("ETag").orElseThrow();
    double calls = sessionCalls();

    HttpResponse<String> again = classify(image, "?topK=4", Map.of("If-None-Match", etag));
    HttpResponse<String> otherTopK = classify(image, "?topK=3", Map.of("If-None-Match", etag));

    assertThat(etag).matches("W/\"[0-9a-f]{64}\"");
    assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=90, private");
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(etag);
    assertThat(otherTopK.statusCode()).isEqualTo(200);
    assertThat(otherTopK.headers().firstValue("ETag"))
        .isPresent()
        .isNotEqualTo(first.headers().firstValue("ETag"));
    assertThat(sessionCalls()).isEqualTo(calls);
  }

  @Test
  void hitsAndMissesAreCounted() {
    PrometheusScrape before =
        new PrometheusScrape(new HttpTestClient(managementPort).get("/actuator/prometheus").body());
    byte[] image = png(66);
    classify(image, "", Map.of());
    classify(image, "", Map.of());
    PrometheusScrape after =
        new PrometheusScrape(new HttpTestClient(managementPort).get("/actuator/prometheus").body());

    String lookups = "classifier_cache_lookups_total";
    assertThat(after.value(lookups, "result", "hit") - before.value(lookups, "result", "hit"))
        .isEqualTo(1);
    assertThat(after.value(lookups, "result", "miss") - before.value(lookups, "result", "miss"))
        .isEqualTo(1);
    assertThat(after.has("classifier_cache_size_bytes")).isTrue();
    assertThat(after.has("classifier_cache_evictions_total")).isTrue();
  }
}
