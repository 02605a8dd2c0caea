package dev.classifier.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmark's load client against the JDK's HTTP server, which answers as each test says. */
class LeanHttpClientTest {

  private final byte[] body =
      "\u00ff\u00d8 not really a JPEG".getBytes(StandardCharsets.ISO_8859_1);
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;
  private URI classify;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/classify",
        exchange -> {
          byte[] received = exchange.getRequestBody().readAllBytes();
          seen.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(received, StandardCharsets.ISO_8859_1)
                  + " from port "
                  + exchange.getRemoteAddress().getPort());
          String query = exchange.getRequestURI().getQuery();
          byte[] answer;
          if ("chunked".equals(query)) {
            answer = "0123456789".repeat(2000).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, 0);
          } else if ("busy".equals(query)) {
            answer = "{\"type\":\"queue-full\"}".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Retry-After", "3");
            exchange.sendResponseHeaders(429, answer.length);
          } else if ("close".equals(query)) {
            answer = "bye".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, answer.length);
          } else {
            answer = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, answer.length);
          }
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
    classify = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/classify");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String port(int request) {
    String line = seen.get(request);
    return line.substring(line.lastIndexOf(' ') + 1);
  }

  @Test
  void postsTheBodyAndReadsAFixedLengthAnswerTwiceOnOneConnection() throws IOException {
    try (LeanHttpClient client = new LeanHttpClient(classify, "image/jpeg", body)) {
      LeanHttpClient.Response first = client.send();
      LeanHttpClient.Response second = client.send();

      assertThat(first).isEqualTo(new LeanHttpClient.Response(200, -1, "{\"ok\":true}"));
      assertThat(second).isEqualTo(first);
    }
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).startsWith("POST image/jpeg \u00ff\u00d8 not really a JPEG from port ");
    assertThat(port(1)).isEqualTo(port(0));
  }

  @Test
  void readsAChunkedAnswerLongerThanItsCopyBuffer() throws IOException {
    URI chunked = URI.create(classify + "?chunked");
    try (LeanHttpClient client = new LeanHttpClient(chunked, "image/jpeg", body)) {
      LeanHttpClient.Response response = client.send();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).hasSize(20_000).isEqualTo("0123456789".repeat(2000));
      assertThat(client.send().body()).hasSize(20_000);
    }
    assertThat(port(1)).isEqualTo(port(0));
  }

  @Test
  void reportsTheRetryAfterOfARefusal() throws IOException {
    try (LeanHttpClient client =
        new LeanHttpClient(URI.create(classify + "?busy"), "image/jpeg", body)) {
      assertThat(client.send())
          .isEqualTo(new LeanHttpClient.Response(429, 3, "{\"type\":\"queue-full\"}"));
    }
  }

  @Test
  void opensANewConnectionAfterTheServerSaysClose() throws IOException {
    try (LeanHttpClient client =
        new LeanHttpClient(URI.create(classify + "?close"), "image/jpeg", body)) {
      assertThat(client.send().body()).isEqualTo("bye");
      assertThat(client.send().body()).isEqualTo("bye");
    }
    assertThat(port(1)).isNotEqualTo(port(0));
  }

  @Test
  void refusesAnAnswerThatIsNotHttp() throws Exception {
    try (ServerSocket notHttp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> answering =
          CompletableFuture.runAsync(
              () -> {
                try (Socket socket = notHttp.accept()) {
                  socket
                      .getOutputStream()
                      .write("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      URI target = URI.create("http://127.0.0.1:" + notHttp.getLocalPort() + "/v1/classify");
      try (LeanHttpClient client = new LeanHttpClient(target, "image/jpeg", body)) {
        assertThatThrownBy(client::send)
            .isInstanceOf(IOException.class)
            .hasMessage("not an HTTP/1.1 status line: SSH-2.0-OpenSSH");
      }
      answering.get(10, TimeUnit.SECONDS);
    }
  }
}
