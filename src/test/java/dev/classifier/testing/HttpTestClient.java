package dev.classifier.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain JDK HTTP client for end-to-end tests against a running server: what a real client sends,
 * byte for byte, including multipart bodies built by hand so malformed ones can be sent too.
 */
public final class HttpTestClient {

  public static final String BOUNDARY = "----classifier-test-boundary";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public HttpTestClient(int port) {
    this.base = "http://localhost:" + port;
  }

  /** A multipart part: field name, file name and bytes. */
  public record Part(String name, String contentType, byte[] bytes) {}

  public HttpResponse<String> get(String path) {
    return get(path, Map.of());
  }

  public HttpResponse<String> get(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    headers.forEach(request::header);
    return send(request);
  }

  public HttpResponse<String> postRaw(String path, String contentType, byte[] body) {
    return postRaw(path, contentType, body, Map.of());
  }

  public HttpResponse<String> postRaw(
      String path, String contentType, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return send(request);
  }

  public HttpResponse<String> postMultipart(String path, List<Part> parts) {
    return postRaw(path, "multipart/form-data; boundary=" + BOUNDARY, multipart(parts));
  }

  public static byte[] multipart(List<Part> parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      write(
          body,
          "--"
              + BOUNDARY
              + "\r\n"
              + "Content-Disposition: form-data; name=\""
              + part.name()
              + "\"; filename=\"image"
              + i
              + "\"\r\n"
              + "Content-Type: "
              + part.contentType()
              + "\r\n\r\n");
      body.writeBytes(part.bytes());
      write(body, "\r\n");
    }
    write(body, "--" + BOUNDARY + "--\r\n");
    return body.toByteArray();
  }

  public static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
