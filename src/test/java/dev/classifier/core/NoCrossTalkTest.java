package dev.classifier.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * 64 concurrent requests, each a different red level, through a model whose top class is that
 * level: every response must carry its own image's class, whether requests share batches (see
 * {@link NoCrossTalkWithBatchingTest}) or not (here, on the shared server, one image per call).
 */
class NoCrossTalkTest extends TinyModelServer {

  static final int REQUESTS = 64;

  /**
   * Sends all requests at once and returns, per red level, the top-1 index and batch size it came
   * back with.
   */
  static List<int[]> classifyConcurrently(int port) throws Exception {
    HttpTestClient http = new HttpTestClient(port);
    ExecutorService clients = Executors.newFixedThreadPool(REQUESTS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<int[]>> answers = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        int red = i * 4;
        byte[] png = TestImages.solid(20, 20, new Color(red, 255 - red, 128), "png");
        answers.add(
            clients.submit(
                () -> {
                  start.await();
                  HttpResponse<String> response = classifyRetryingWhileOverloaded(http, png);
                  assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                  JsonNode result = HttpTestClient.json(response).at("/results/0");
                  return new int[] {
                    red,
                    result.at("/predictions/0/index").asInt(),
                    result.at("/timings/batchSize").asInt()
                  };
                }));
      }
      start.countDown();
      List<int[]> results = new ArrayList<>();
      for (Future<int[]> answer : answers) {
        results.add(answer.get());
      }
      return results;
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * 64 decodes at once do not fit the shared server's 3 MB memory budget; the ones that do not fit
   * are answered 503 overloaded, and a client retries them as a real one would.
   */
  private static HttpResponse<String> classifyRetryingWhileOverloaded(
      HttpTestClient http, byte[] png) throws Exception {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response = http.postRaw("/v1/classify?topK=1", "image/png", png);
      boolean overloaded =
          response.statusCode() == 503
              && response.body().contains("problem-type:classifier:overloaded");
      if (!overloaded || attempt == 100) {
        return response;
      }
      Thread.sleep(10 + (long) (Math.random() * 40));
    }
  }

  static void assertEachGotItsOwnClass(List<int[]> results) {
    assertThat(results).hasSize(REQUESTS);
    for (int[] result : results) {
      assertThat(result[1])
          .as("top-1 for red level %d", result[0])
          .isEqualTo(TinyModels.expectedTop1(result[0], TinyModelServer.CLASSES));
    }
  }

  @Test
  void everyResponseCarriesItsOwnImagesClass() throws Exception {
    List<int[]> results = classifyConcurrently(port);
    assertEachGotItsOwnClass(results);
    assertThat(results).allMatch(r -> r[2] == 1);
  }
}
