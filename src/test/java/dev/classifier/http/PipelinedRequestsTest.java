package dev.classifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.RawHttp;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.1 pipelining (RFC 9112 §9.3.2): a client may send several requests on one connection
 * before reading any answer, and each gets its own response, in order, whatever the TCP segments
 * look like. After a refusal that closes the connection ({@code Connection: close}), the requests
 * behind it are legitimately not answered: the connection ends right after the refusal.
 */
class PipelinedRequestsTest extends TinyModelServer {

  private static final byte[] IMAGE = TestImages.solid(64, 48, new Color(200, 30, 30), "png");

  private static byte[] classify(String id, String contentType, byte[] body) {
    String head =
        "POST /v1/classify HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: "
            + id
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    return concat(List.of(head.getBytes(StandardCharsets.ISO_8859_1), body));
  }

  private static byte[] raw(String id) {
    return classify(id, "image/png", IMAGE);
  }

  private static byte[] multipart(String id) {
    byte[] body =
        HttpTestClient.multipart(List.of(new HttpTestClient.Part("image", "image/png", IMAGE)));
    return classify(id, "multipart/form-data; boundary=" + HttpTestClient.BOUNDARY, body);
  }

  private static byte[] get(String id, String path) {
    return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: " + id + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    parts.forEach(all::writeBytes);
    return all.toByteArray();
  }

  private static void assertClassified(RawHttp.Response response, String id) {
    assertThat(response.header("X-Request-Id")).as("response order").isEqualTo(id);
    assertThat(response.status()).as("status of %s: %s", id, response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"predictions\"");
    assertThat(response.header("Connection")).as("keep-alive").isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 5, 16})
  void rawUploadsInOneWriteAreEachAnsweredInOrder(int count) {
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(raw("raw-" + count + "-" + i));
    }
    try (RawHttp client = new RawHttp(port)) {
      client.send(concat(requests));
      for (int i = 0; i < count; i++) {
        assertClassified(client.read(), "raw-" + count + "-" + i);
      }
      assertThat(client.send(get("after", "/v1/models")).read().status()).isEqualTo(200);
    }
  }

  @Test
  void multipartUploadsInOneWriteAreEachAnsweredInOrder() {
    try (RawHttp client = new RawHttp(port)) {
      client.send(concat(List.of(multipart("mp-0"), multipart("mp-1"), multipart("mp-2"))));
      for (int i = 0; i < 3; i++) {
        assertClassified(client.read(), "mp-" + i);
      }
    }
  }

  @Test
  void chunkedUploadsInOneWriteAreEachAnsweredInOrder() {
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String head =
          "POST /v1/classify HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: chunked-"
              + i
              + "\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n";
      int half = IMAGE.length / 2;
      requests.add(head.getBytes(StandardCharsets.ISO_8859_1));
      for (byte[] chunk :
          List.of(
              Arrays.copyOfRange(IMAGE, 0, half), Arrays.copyOfRange(IMAGE, half, IMAGE.length))) {
        requests.add((Integer.toHexString(chunk.length) + "\r\n").getBytes());
        requests.add(chunk);
        requests.add("\r\n".getBytes());
      }
      requests.add("0\r\n\r\n".getBytes());
    }
    try (RawHttp client = new RawHttp(port)) {
      client.send(concat(requests));
      for (int i = 0; i < 3; i++) {
        assertClassified(client.read(), "chunked-" + i);
      }
    }
  }

  @Test
  void uploadsMixedWithGetsAreEachAnsweredInOrder() {
    try (RawHttp client = new RawHttp(port)) {
      client.send(
          concat(
              List.of(
                  get("ready", "/actuator/health/readiness"),
                  raw("mixed-raw"),
                  get("models", "/v1/models"),
                  multipart("mixed-mp"),
                  get("models-again", "/v1/models"))));
      RawHttp.Response ready = client.read();
      assertThat(ready.header("X-Request-Id")).isEqualTo("ready");
      assertThat(ready.status()).isEqualTo(200);
      assertClassified(client.read(), "mixed-raw");
      RawHttp.Response models = client.read();
      assertThat(models.header("X-Request-Id")).isEqualTo("models");
      assertThat(models.status()).isEqualTo(200);
      assertThat(models.body()).contains("\"models\"");
      assertClassified(client.read(), "mixed-mp");
      assertThat(client.read().header("X-Request-Id")).isEqualTo("models-again");
    }
  }

  /**
   * The end of one body and the start of the next request arrive in the same segment, after the
   * service has already read most of the body: Tomcat's last body read fetches bytes of the next
   * request, which must reach the next request's parser.
   */
  @Test
  void theNextRequestStartingInTheSegmentThatEndsABodyIsAnswered() {
    byte[] first = raw("split-0");
    byte[] second = raw("split-1");
    for (int cut : List.of(1, 7, 100, second.length - 1)) {
      try (RawHttp client = new RawHttp(port)) {
        int held = 10;
        client.send(Arrays.copyOfRange(first, 0, first.length - held));
        sleepMillis(100); // the service reads what came, and waits for the rest of the body
        client.send(
            concat(
                List.of(
                    Arrays.copyOfRange(first, first.length - held, first.length),
                    Arrays.copyOfRange(second, 0, cut))));
        sleepMillis(100); // the first request is classified while the second is incomplete
        client.send(Arrays.copyOfRange(second, cut, second.length));
        assertClassified(client.read(), "split-0");
        assertClassified(client.read(), "split-1");
      }
    }
  }

  /** A whole second request that arrives while the first waits for inference is kept for later. */
  @Test
  void aRequestArrivingWhileTheFirstIsClassifiedIsAnswered() {
    try (RawHttp client = new RawHttp(port)) {
      var held = gate.holdNextBatch();
      client.send(raw("held-0"));
      held.awaitHeld();
      client.send(raw("held-1"));
      sleepMillis(100); // the service probes the connection of the held request meanwhile
      held.release();
      assertClassified(client.read(), "held-0");
      assertClassified(client.read(), "held-1");
    }
  }

  /** An answer that is not a refusal keeps the connection: what follows is answered. */
  @Test
  void anErrorAnswerKeepsThePipelineGoing() {
    try (RawHttp client = new RawHttp(port)) {
      client.send(
          concat(
              List.of(
                  classify("not-an-image", "image/png", "not a png".getBytes()),
                  classify("wrong-type", "text/plain", "hello".getBytes()),
                  raw("good"))));
      RawHttp.Response undecodable = client.read();
      assertThat(undecodable.header("X-Request-Id")).isEqualTo("not-an-image");
      assertThat(undecodable.status()).as("not an image format").isEqualTo(415);
      RawHttp.Response unsupported = client.read();
      assertThat(unsupported.header("X-Request-Id")).isEqualTo("wrong-type");
      assertThat(unsupported.status()).isEqualTo(415);
      assertClassified(client.read(), "good");
    }
  }

  /**
   * A refused upload (413) is answered with {@code Connection: close} and its body read away; the
   * connection then ends, so the request pipelined behind it gets no answer: not a silent loss, the
   * client is told to send it again on a new connection (RFC 9112 §9.3.2, §9.6).
   */
  @Test
  void aRefusalClosesTheConnectionAndSaysSo() {
    byte[] tooLarge = classify("too-large", "image/png", new byte[MAX_UPLOAD + 1]);
    try (RawHttp client = new RawHttp(port)) {
      client.send(concat(List.of(tooLarge, raw("behind-the-refusal"))));
      RawHttp.Response refused = client.read();
      assertThat(refused.header("X-Request-Id")).isEqualTo("too-large");
      assertThat(refused.status()).isEqualTo(413);
      assertThat(refused.header("Connection")).isEqualTo("close");
      assertThat(client.readToEnd()).as("nothing after the refusal").isEmpty();
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
