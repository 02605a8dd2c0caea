package dev.classifier.container;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client of the container does over HTTP: send an image, read the JSON answer, scrape the
 * metrics.
 */
final class ClassifierHttp {

  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(1);

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final JsonMapper json = JsonMapper.builder().build();

  /** Response of {@code POST /v1/classify} with the JPEG as raw body. */
  HttpResponse<String> classify(String baseUrl, byte[] jpeg, int topK) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/v1/classify?topK=" + topK))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "image/jpeg")
            .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg))
            .build();
    return send(request);
  }

  HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build());
  }

  JsonNode parse(String body) {
    return json.readTree(body);
  }

  /** A 320x240 diagonal gradient as JPEG: deterministic, and decodes to a real RGB image. */
  static byte[] gradientJpeg() {
    BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setPaint(new GradientPaint(0, 0, new Color(200, 40, 30), 320, 240, new Color(20, 90, 210)));
      g.fillRect(0, 0, 320, 240);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "jpg", out)) {
        throw new IllegalStateException("No JPEG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during " + request.uri(), e);
    }
  }
}
