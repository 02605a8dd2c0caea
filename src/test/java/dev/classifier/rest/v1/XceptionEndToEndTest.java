package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TestModels;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The full synthetic Xception behind the real HTTP stack: the default model is built when absent,
 * classifies, and a small queue under a burst answers 429 with Retry-After instead of queueing
 * without bound.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class XceptionEndToEndTest {

  private static final int QUEUE = 2;

  @DynamicPropertySource
  static void syntheticXception(DynamicPropertyRegistry registry) {
    registry.add("classifier.model.path", () -> TestModels.syntheticXception().toString());
    registry.add("classifier.batching.queue-capacity", () -> Integer.toString(QUEUE));
  }

  @LocalServerPort int port;
  HttpTestClient http;

  @BeforeEach
  void client() {
    http = new HttpTestClient(port);
  }

  static byte[] photoLikeJpeg(int width, int height, int seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(
        new GradientPaint(
            0,
            0,
            new Color(seed * 37 % 256, 90, 200),
            width,
            height,
            new Color(250, seed * 71 % 256, 30)));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(20, 120, seed * 13 % 256));
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    return TestImages.encode(image, "jpeg");
  }

  @Test
  void classifiesAJpegWithTheSyntheticModelAndSaysSo() {
    HttpResponse<String> response =
        http.postRaw("/v1/classify", "image/jpeg", photoLikeJpeg(640, 480, 1));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = HttpTestClient.json(response);
    assertThat(body.at("/model/weights").asString()).isEqualTo("synthetic:42");
    assertThat(body.at("/model/synthetic").asBoolean()).isTrue();
    JsonNode result = body.at("/results/0");
    assertThat(result.at("/image/format").asString()).isEqualTo("jpeg");
    assertThat(result.at("/image/width").asInt()).isEqualTo(640);
    assertThat(result.at("/image/height").asInt()).isEqualTo(480);
    JsonNode predictions = result.get("predictions");
    assertThat(predictions).hasSize(5);
    double previous = 1.0;
    double sum = 0;
    for (int i = 0; i < 5; i++) {
      double score = predictions.get(i).get("score").asDouble();
      assertThat(predictions.get(i).get("rank").asInt()).isEqualTo(i + 1);
      assertThat(score).isLessThanOrEqualTo(previous);
      previous = score;
      sum += score;
    }
    assertThat(sum).isLessThanOrEqualTo(1.0001);
    assertThat(predictions.get(0).get("score").asDouble())
        .as("not a uniform output")
        .isGreaterThan(2.0 / 1000);

    JsonNode info = HttpTestClient.json(http.get("/v1/models/xception"));
    assertThat(info.at("/input/shape").toString()).isEqualTo("[-1,299,299,3]");
    assertThat(info.at("/output/shape").toString()).isEqualTo("[-1,1000]");
    assertThat(info.get("weights").asString()).isEqualTo("synthetic:42");
  }

  @Test
  void aBurstBeyondTheQueueIsRejectedWith429AndRetryAfter() throws Exception {
    int clients = 12;
    byte[] jpeg = photoLikeJpeg(320, 240, 2);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        responses.add(
            pool.submit(
                () -> {
                  start.await();
                  return http.postRaw("/v1/classify", "image/jpeg", jpeg);
                }));
      }
      start.countDown();
      Map<Integer, Integer> statuses = new HashMap<>();
      for (Future<HttpResponse<String>> future : responses) {
        HttpResponse<String> response = future.get();
        statuses.merge(response.statusCode(), 1, Integer::sum);
        if (response.statusCode() == 429) {
          assertThat(HttpTestClient.json(response).get("type").asString())
              .isEqualTo("urn:problem-type:classifier:queue-full");
          assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()))
              .isPositive();
        }
      }
      assertThat(statuses.keySet())
          .as("only successes and deliberate rejections: %s", statuses)
          .containsOnly(200, 429);
      assertThat(statuses.get(429))
          .as("a queue of %d cannot hold %d at once", QUEUE, clients)
          .isPositive();
      assertThat(statuses.get(200)).isGreaterThanOrEqualTo(QUEUE);
    } finally {
      pool.shutdownNow();
    }
    assertThat(http.postRaw("/v1/classify", "image/jpeg", jpeg).statusCode()).isEqualTo(200);
  }
}
