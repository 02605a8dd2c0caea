package dev.classifier.http;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.config.CompilationWatch;
import dev.classifier.config.Settling;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
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

  private static final int TIMEOUT_MILLIS = 60_000;

  private final ClassifierProperties properties;
  private final HttpDoors doors;
  private final ApplicationContext context;
  private final Environment environment;
  private final WarmUpCredentials credentials;
  private URI base;
  private int sent;
  private int failures;

  HttpWarmUp(
      ClassifierProperties properties,
      HttpDoors doors,
      ApplicationContext context,
      Environment environment,
      ObjectProvider<WarmUpCredentials> credentials) {
    this.properties = properties;
    this.doors = doors;
    this.context = context;
    this.environment = environment;
    this.credentials = credentials.getIfAvailable(() -> () -> null);
  }

  /** After the pipeline and session warm-up, which runs first. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void run(ApplicationArguments args) {
    int rounds = properties.warmUp().httpRounds();
    Duration settle = properties.warmUp().settleTimeout();
    if (rounds > 0) {
      OwnAddress.of(context, environment).ifPresent(address -> run(address, rounds, settle));
    }
    if (!settle.isZero() && !settle.isNegative()) {
      Settling.Outcome outcome = Settling.await(settle);
      log.info(
          "settled after the warm-up in {} ms{}",
          outcome.waited().toMillis(),
          outcome.quiet() ? "" : " (still busy at classifier.warm-up.settle-timeout)");
    }
  }

  /**
   * Runs {@code rounds} rounds against {@code base} (the root, with the context path), then more
   * while the JIT is still compiling what they run ({@link CompilationWatch}), for at most {@code
   * settle}; never throws for a failed request. Each round sends each door's warm-up requests once.
   */
  private void run(URI base, int rounds, Duration settle) {
    this.base = base;
    List<HttpDoor.WarmUpRequest> requests =
        doors.all().stream().flatMap(door -> door.warmUp().stream()).toList();
    long start = System.nanoTime();
    CompilationWatch jit = null;
    for (int round = 0; round < rounds; round++) {
      if (round == rounds - 1) {
        jit = CompilationWatch.jvm();
      }
      round(requests);
    }
    long extraUntil = System.nanoTime() + Math.max(0, settle.toNanos());
    int extra = 0;
    while (!jit.settled() && System.nanoTime() < extraUntil) {
      round(requests);
      extra++;
    }
    log.info(
        "HTTP warm-up: {} requests to {} in {} ms ({} round(s) more while the JIT compiled), {}"
            + " failed",
        sent,
        base,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        extra,
        failures);
  }

  private void round(List<HttpDoor.WarmUpRequest> requests) {
    for (HttpDoor.WarmUpRequest request : requests) {
      exchange(request.method(), request.path(), request.contentType(), request.body());
    }
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
      connection.setRequestProperty(RequestIdFilter.HEADER, "warm-up-" + sent);
      // With authentication on, the service's own in-memory credential (no quota applies to it).
      String authorization = credentials.authorization();
      if (authorization != null) {
        connection.setRequestProperty("Authorization", authorization);
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
