package dev.classifier.api;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.config.Settling;
import dev.classifier.image.SyntheticPhotos;
import dev.classifier.inference.Inference;
import dev.classifier.security.InternalCaller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Sends real requests to the service's own HTTP port before readiness turns UP. Warming only the
 * session leaves the first client to pay for loading and interpreting everything around it —
 * Tomcat's request handling, the upload reader, multipart parsing, Jackson's serializers for the
 * response records, the problem handler, the PNG overlay — which made the first request after
 * start-up several times slower than the rest. A failed warm-up request is logged, never fatal: the
 * service is as usable as it would have been without it.
 *
 * <p>The requests are ordinary ones (request ids {@code warm-up-N}), so they appear in the request
 * log and the request metrics.
 */
@Component
final class HttpWarmUp implements ApplicationRunner, Ordered {

  private static final Logger log = LoggerFactory.getLogger(HttpWarmUp.class);

  /** One image the warm-up uploads. */
  record Image(String contentType, byte[] bytes) {
    Image {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  private static final int TIMEOUT_MILLIS = 60_000;
  private static final String BOUNDARY = "warm-up-boundary-7f3a";

  private final ClassifierProperties properties;
  private final Inference inference;
  private final ApplicationContext context;
  private final Environment environment;
  private final InternalCaller caller;
  private URI base;
  private List<Image> images;
  private int sent;
  private int failures;

  HttpWarmUp(
      ClassifierProperties properties,
      Inference inference,
      ApplicationContext context,
      Environment environment,
      InternalCaller caller) {
    this.properties = properties;
    this.inference = inference;
    this.context = context;
    this.environment = environment;
    this.caller = caller;
  }

  /** After the pipeline and session warm-up, which runs first. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void run(ApplicationArguments args) {
    int rounds = properties.warmUp().httpRounds();
    if (rounds > 0) {
      OwnAddress.of(context, environment)
          .ifPresent(
              address ->
                  run(
                      address,
                      List.of(
                          new Image("image/jpeg", SyntheticPhotos.photo(640, 480, "jpeg")),
                          new Image("image/png", SyntheticPhotos.photo(320, 240, "png"))),
                      rounds));
    }
    Duration settle = properties.warmUp().settleTimeout();
    if (!settle.isZero() && !settle.isNegative()) {
      Settling.Outcome outcome = Settling.await(settle);
      log.info(
          "settled after the warm-up in {} ms{}",
          outcome.waited().toMillis(),
          outcome.quiet() ? "" : " (still busy at classifier.warm-up.settle-timeout)");
    }
  }

  /**
   * Runs {@code rounds} rounds against {@code base} (the root, with the context path); never throws
   * for a failed request. Each round uploads each image once raw and all of them as one multipart
   * request, plus the explanation endpoints when the model has them.
   */
  private void run(URI base, List<Image> images, int rounds) {
    this.base = base;
    this.images = List.copyOf(images);
    String modelName = inference.model().name();
    boolean explanations = inference.model().explanations();
    long start = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      for (Image image : images) {
        post(ApiContract.CLASSIFY_PATH + "?topK=5", image.contentType(), image.bytes());
      }
      post(ApiContract.CLASSIFY_PATH, "multipart/form-data; boundary=" + BOUNDARY, multipart());
      if (explanations) {
        Image first = images.get(0);
        post(ApiContract.CLASSIFY_PATH + "?explain=true", first.contentType(), first.bytes());
        post(ApiContract.EXPLAIN_PATH, first.contentType(), first.bytes());
      }
      get("/v1/models");
      get("/v1/models/" + modelName);
    }
    log.info(
        "HTTP warm-up: {} requests to {} in {} ms, {} failed",
        sent,
        base,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        failures);
  }

  private byte[] multipart() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < images.size(); i++) {
      Image image = images.get(i);
      String head =
          "--"
              + BOUNDARY
              + "\r\nContent-Disposition: form-data; name=\""
              + ApiContract.IMAGE_PART
              + "\"; filename=\"warm-up-"
              + i
              + "\"\r\nContent-Type: "
              + image.contentType()
              + "\r\n\r\n";
      body.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
      body.writeBytes(image.bytes());
      body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return body.toByteArray();
  }

  private void post(String path, String contentType, byte[] body) {
    exchange("POST", path, contentType, body);
  }

  private void get(String path) {
    exchange("GET", path, null, null);
  }

  private void exchange(String method, String path, String contentType, byte[] body) {
    sent++;
    URI uri = base.resolve(path.substring(1));
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setRequestMethod(method);
      connection.setConnectTimeout(TIMEOUT_MILLIS);
      connection.setReadTimeout(TIMEOUT_MILLIS);
      connection.setRequestProperty(ApiContract.REQUEST_ID_HEADER, "warm-up-" + sent);
      // With authentication on, the service's own in-memory credential (no quota applies to it).
      if (caller.authorization() != null) {
        connection.setRequestProperty("Authorization", caller.authorization());
      }
      if (body != null) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        connection.setRequestProperty("Content-Type", contentType);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      // Read to the end, so the connection is reused and the response is fully serialised.
      try (InputStream in =
          status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        byte[] answer = in == null ? new byte[0] : in.readAllBytes();
        if (status != 200) {
          failures++;
          log.warn(
              "warm-up {} {} answered {}: {}",
              method,
              uri,
              status,
              new String(answer, 0, Math.min(answer.length, 300), StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      failures++;
      log.warn("warm-up {} {} failed: {}", method, uri, e.toString());
      if (connection != null) {
        connection.disconnect();
      }
    }
  }
}
