package dev.classifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.inference.Inference;
import dev.classifier.rest.v1.ProblemType;
import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.RawHttp;
import dev.classifier.testing.TestGate;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import dev.classifier.testing.TinyModels;
import io.micrometer.core.instrument.MeterRegistry;
import java.awt.Color;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clients that are slow, greedy, malformed or gone, on the shared server (1 MB uploads, 3 MB memory
 * budget, 2 s request timeout, 5 s upload timeout): each gets its problem response or costs
 * nothing, and normal requests keep being served.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileClientsTest extends TinyModelServer {

  @Autowired Inference inference;
  @Autowired MeterRegistry registry;

  private static byte[] png(int red) {
    return TestImages.solid(16, 16, new Color(red, 0, 0), "png");
  }

  private static String rawHeaders(String path, String contentType, long length) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        + contentType
        + "\r\nContent-Length: "
        + length
        + "\r\n\r\n";
  }

  private static JsonNode problem(RawHttp.Response response) {
    assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("<html");
    return JsonMapper.builder().build().readTree(response.body());
  }

  @Test
  void aSlowButHonestUploadIsClassifiedBecauseTheDeadlineStartsWhenTheBodyHasArrived() {
    byte[] image = png(102);
    try (RawHttp client = new RawHttp(port)) {
      client.send(rawHeaders("/v1/classify", "image/png", image.length));
      // 2.4 s for the body, longer than the 2 s request timeout
      int pieces = 8;
      for (int i = 0; i < pieces; i++) {
        int from = i * image.length / pieces;
        int to = (i + 1) * image.length / pieces;
        client.send(Arrays.copyOfRange(image, from, to));
        sleepMillis(300);
      }
      RawHttp.Response response = client.read();
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("\"index\":" + TinyModels.expectedTop1(102, CLASSES));
    }
  }

  /**
   * Spring MVC routes these to the classify endpoint, so the filters that read uploads must see
   * them as uploads too, or the controller finds no body (it answered 500).
   */
  @Test
  void pathsThatSpringDecodesToTheUploadEndpointAreReadAsUploads() {
    byte[] image = png(102);
    for (String path : List.of("/v1/%63lassify", "/v1/classify;x=1")) {
      try (RawHttp client = new RawHttp(port)) {
        RawHttp.Response response =
            client.send(rawHeaders(path, "image/png", image.length)).send(image).read();
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"index\":" + TinyModels.expectedTop1(102, CLASSES));
      }
    }
    try (RawHttp client = new RawHttp(port)) {
      RawHttp.Response response =
          client.send(rawHeaders("//v1/classify", "image/png", image.length)).send(image).read();
      // Not normalized: Spring Security's firewall refuses it before any filter reads the body.
      assertThat(response.status()).isEqualTo(400);
      assertThat(problem(response).get("type").asString())
          .isEqualTo(ProblemType.MALFORMED_REQUEST.type().toString());
    }
  }

  @Test
  void aBodyThatDoesNotArriveWithinTheUploadTimeoutIs408AndTheConnectionIsClosed() {
    try (RawHttp client = new RawHttp(port)) {
      client.send(rawHeaders("/v1/classify", "image/png", 1000)).send(new byte[10]);
      long start = System.nanoTime();
      RawHttp.Response response = client.read();
      assertThat(response.status()).isEqualTo(408);
      assertThat(problem(response).get("type").asString())
          .isEqualTo(ProblemType.UPLOAD_TOO_SLOW.type().toString());
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(4000L, 15000L);
    }
  }

  @Test
  void slowClientsHoldNoRequestThreadSoNormalRequestsAreServed() throws Exception {
    // More trickling connections than Tomcat has request threads (200), half of them uploads and
    // half bodies sent where nobody reads them; 250 x 8 KB declared stays within the 3 MB budget.
    List<RawHttp> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 250; i++) {
        RawHttp client = new RawHttp(port);
        String path = i % 2 == 0 ? "/v1/classify" : "/v1/models/xception";
        slow.add(client.send(rawHeaders(path, "image/png", 8000)).send(new byte[100]));
      }
      HttpTestClient http = new HttpTestClient(port);
      long start = System.nanoTime();
      HttpResponse<String> normal = http.postRaw("/v1/classify", "image/png", png(10));
      assertThat(normal.statusCode()).isEqualTo(200);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .as("a normal request among 250 trickling ones")
          .isLessThan(3000);
      assertThat(http.get("/v1/models/xception").statusCode()).isEqualTo(200);
    } finally {
      slow.forEach(RawHttp::close);
    }
  }

  @Test
  void uploadsBeyondTheMemoryBudgetAre503WithRetryAfterAndTheBudgetComesBack() {
    List<RawHttp> greedy = new ArrayList<>();
    try {
      // Three declared 1 MB bodies reserve the whole 3 MB budget before a byte of them arrives.
      for (int i = 0; i < 3; i++) {
        greedy.add(new RawHttp(port).send(rawHeaders("/v1/classify", "image/png", MAX_UPLOAD)));
      }
      awaitBudgetUsedAtLeast(3L * MAX_UPLOAD);
      try (RawHttp late = new RawHttp(port)) {
        byte[] image = png(1);
        RawHttp.Response refused =
            late.send(rawHeaders("/v1/classify", "image/png", image.length)).send(image).read();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        JsonNode body = problem(refused);
        assertThat(body.get("type").asString()).isEqualTo(ProblemType.OVERLOADED.type().toString());
        assertThat(body.get("detail").asString())
            .startsWith("the upload body needs 0.0 MiB of memory but only 0.0 MiB of the 3.0 MiB")
            .contains("classifier.memory.budget");
      }
    } finally {
      greedy.forEach(RawHttp::close);
    }
    awaitBudgetUsedAtLeast(0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (budgetUsed() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(budgetUsed()).as("closed uploads gave their memory back").isZero();
    assertThat(new HttpTestClient(port).postRaw("/v1/classify", "image/png", png(3)).statusCode())
        .isEqualTo(200);
  }

  /**
   * A client that sends its whole body before reading (no {@code Expect: 100-continue}, as the JDK
   * HttpClient does) must still get the refusal the service sent at the first bytes: the rest of
   * the body is read away, and only then is the connection closed, with a FIN, not a reset.
   */
  @Test
  void aRefusedClientThatKeepsSendingReadsItsRefusalAfterItsWholeBody() {
    byte[] piece = new byte[64 * 1024];
    // More than the socket buffers hold, so a connection closed under the client fails its sending.
    int pieces = 24 * MAX_UPLOAD / piece.length;
    String declared = rawHeaders("/v1/classify", "image/png", (long) pieces * piece.length);
    String chunked =
        "POST /v1/classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";
    byte[] chunkHead = (Integer.toHexString(piece.length) + "\r\n").getBytes();
    for (boolean overAtStart : List.of(true, false)) {
      try (RawHttp client = new RawHttp(port)) {
        client.send(overAtStart ? declared : chunked);
        for (int i = 0; i < pieces; i++) {
          if (i == (overAtStart ? 1 : MAX_UPLOAD / piece.length + 1)) {
            client.awaitAnswer(); // the refusal has been sent: what follows is read away
          }
          if (overAtStart) {
            client.send(piece);
          } else {
            client.send(chunkHead).send(piece).send("\r\n");
          }
        }
        if (!overAtStart) {
          client.send("0\r\n\r\n");
        }
        RawHttp.Response refused = client.read();
        assertThat(refused.status()).as("declared too large: %s", overAtStart).isEqualTo(413);
        assertThat(problem(refused).get("type").asString())
            .isEqualTo(ProblemType.PAYLOAD_TOO_LARGE.type().toString());
        assertThat(refused.header("Connection")).isEqualTo("close");
        assertThat(client.readToEnd()).as("after the refusal, the connection ends").isEmpty();
      }
    }
  }

  /** A client that asks before sending ({@code Expect: 100-continue}) sends only what is read. */
  @Test
  void aClientThatAsksFirstIsAskedForItsBodyOnlyWhenTheServiceWillReadIt() {
    String expect = "Expect: 100-continue\r\n\r\n";
    try (RawHttp client = new RawHttp(port)) {
      String headers = rawHeaders("/v1/classify", "image/png", 2L * MAX_UPLOAD);
      RawHttp.Response refused = client.send(headers.replace("\r\n\r\n", "\r\n" + expect)).read();
      assertThat(refused.status()).as("refused without being asked for the body").isEqualTo(413);
      assertThat(problem(refused).get("type").asString())
          .isEqualTo(ProblemType.PAYLOAD_TOO_LARGE.type().toString());
      assertThat(client.readToEnd()).isEmpty();
    }
    byte[] image = png(7);
    try (RawHttp client = new RawHttp(port)) {
      String headers = rawHeaders("/v1/classify", "image/png", image.length);
      RawHttp.Response invited = client.send(headers.replace("\r\n\r\n", "\r\n" + expect)).read();
      assertThat(invited.status()).isEqualTo(100);
      RawHttp.Response classified = client.send(image).read();
      assertThat(classified.status()).isEqualTo(200);
      assertThat(classified.body()).contains("\"predictions\"");
    }
  }

  /** Mobile clients drop uploads all the time: that must not look like a server error. */
  @Test
  void aClientThatLeavesMidBodyIsLogged499NotAServerError(CapturedOutput output) {
    double serverErrors = requestsWithStatus("500");
    String headers = rawHeaders("/v1/classify", "image/png", MAX_UPLOAD);
    try (RawHttp client = new RawHttp(port)) {
      client.send(headers.replace("\r\n\r\n", "\r\nX-Request-Id: left-mid-body\r\n\r\n"));
      client.send(new byte[1000]);
    }
    String logged = "request requestId=left-mid-body ";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!output.getOut().contains(logged) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(output.getOut().lines().filter(line -> line.contains(logged)))
        .singleElement()
        .asString()
        .contains(logged)
        .contains(
            " method=POST path=/v1/classify status=499 caller=anonymous"
                + " type=client-closed-request");
    assertThat(requestsWithStatus("500")).as("requests counted as 500").isEqualTo(serverErrors);
  }

  @Test
  void requestsWhoseClientsHaveGoneCostNoInference() throws Exception {
    HttpTestClient http = new HttpTestClient(port);
    double goneBefore = goneTotal();
    TestGate.Held held = gate.holdNextBatch();
    CompletableFuture<HttpResponse<String>> kept =
        CompletableFuture.supplyAsync(() -> http.postRaw("/v1/classify", "image/png", png(50)));
    held.awaitHeld();
    int executionsBefore = gate.executions();
    for (int i = 0; i < 16; i++) {
      byte[] image = png(60 + i);
      try (RawHttp client = new RawHttp(port)) {
        client.send(rawHeaders("/v1/classify", "image/png", image.length)).send(image);
      }
    }
    // Each one is either waiting in the queue or already dropped before decoding or queueing.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inference.queueDepth() + goneTotal() - goneBefore < 16 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    held.release();

    assertThat(kept.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    while (goneTotal() - goneBefore < 16 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(goneTotal() - goneBefore).as("dropped for a gone client").isEqualTo(16);
    assertThat(gate.executions() - executionsBefore)
        .as("session calls: only the request whose client waited")
        .isEqualTo(1);
  }

  @Test
  void whatTomcatRejectsItselfIsProblemJsonToo() {
    String tooLargeHeader = "X-Big: " + "a".repeat(12_000) + "\r\n";
    StringBuilder manyHeaders = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      manyHeaders.append("X-H").append(i).append(": v\r\n");
    }
    List<String> requests =
        List.of(
            "GET /v1/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /v1/models/xception HTTP/1.1\r\nHost: localhost\r\n" + tooLargeHeader + "\r\n",
            "GET /v1/models/xception HTTP/1.1\r\nHost: localhost\r\n" + manyHeaders + "\r\n",
            "GET /v1/mo dels HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /v1/models/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    for (String request : requests) {
      try (RawHttp client = new RawHttp(port)) {
        RawHttp.Response response = client.send(request).read();
        assertThat(response.status()).as(request.substring(0, 30)).isEqualTo(400);
        JsonNode body = problem(response);
        assertThat(body.get("type").asString())
            .isEqualTo(ProblemType.MALFORMED_REQUEST.type().toString());
        assertThat(body.get("status").asInt()).isEqualTo(400);
        assertThat(body.get("requestId").asString()).isNotBlank();
      }
    }
  }

  @Test
  void aMalformedEscapeInTheQueryIs400NotA500() {
    byte[] image = png(5);
    try (RawHttp client = new RawHttp(port)) {
      RawHttp.Response response =
          client
              .send(rawHeaders("/v1/classify?topK=%zz", "image/png", image.length))
              .send(image)
              .read();
      assertThat(response.status()).isEqualTo(400);
      assertThat(problem(response).get("type").asString())
          .isEqualTo(ProblemType.MALFORMED_REQUEST.type().toString());
    }
  }

  private double goneTotal() {
    return registry.find("classifier.client.gone").counters().stream()
        .mapToDouble(counter -> counter.count())
        .sum();
  }

  private double requestsWithStatus(String status) {
    return registry.find("http.server.requests").tag("status", status).timers().stream()
        .mapToDouble(timer -> timer.count())
        .sum();
  }

  private double budgetUsed() {
    return registry.get("classifier.memory.budget.used").gauge().value();
  }

  private void awaitBudgetUsedAtLeast(long bytes) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (budgetUsed() < bytes && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(budgetUsed()).isGreaterThanOrEqualTo(bytes);
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
