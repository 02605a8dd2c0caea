package dev.classifier.api;

import dev.classifier.api.ClassificationResponse.ImageResult;
import dev.classifier.api.ClassificationResponse.Timings;
import dev.classifier.metrics.ClassifierMetrics;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per API request, written when the response is complete: request id, status, problem
 * type, image count and sizes, and where the time went. The fields are SLF4J key-values (JSON
 * fields under Spring Boot's structured logging, {@code logging.structured.format.console=ecs}) and
 * are repeated in the message as {@code key=value} pairs, so the plain console log is greppable
 * too. Probes and scrapes are not logged.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestLogFilter extends OncePerRequestFilter {

  /** The byte size of each uploaded image, in upload order; set by the controller. */
  static final String IMAGE_SIZES = RequestLogFilter.class.getName() + ".imageSizes";

  /** The successful response, for its per-stage timings; set by the controller. */
  static final String RESPONSE = RequestLogFilter.class.getName() + ".response";

  private static final Logger log = LoggerFactory.getLogger("dev.classifier.request");

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return request.getRequestURI().startsWith("/actuator");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long start = System.nanoTime();
    int status = 500;
    try {
      chain.doFilter(request, response);
      status = response.getStatus();
    } finally {
      if (log.isInfoEnabled()) {
        log(request, status, System.nanoTime() - start);
      }
    }
  }

  private void log(HttpServletRequest request, int status, long nanos) {
    LoggingEventBuilder line = log.atInfo();
    StringBuilder message = new StringBuilder("request");
    field(line, message, "requestId", RequestIdFilter.of(request));
    field(line, message, "method", request.getMethod());
    field(line, message, "path", request.getRequestURI());
    field(line, message, "status", status);
    Object type = request.getAttribute(ClassifierMetrics.ERROR_TYPE_ATTRIBUTE);
    if (type != null) {
      field(line, message, "type", type);
    }
    if (request.getAttribute(IMAGE_SIZES) instanceof List<?> sizes) {
      field(line, message, "images", sizes.size());
      field(
          line,
          message,
          "bytes",
          sizes.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    field(line, message, "totalMs", millis(nanos));
    if (request.getAttribute(RESPONSE) instanceof ClassificationResponse body
        && !body.results().isEmpty()) {
      List<Timings> timings = body.results().stream().map(ImageResult::timings).toList();
      field(line, message, "decodeMs", sum(timings, Timings::decodeMs));
      field(line, message, "preprocessMs", sum(timings, Timings::preprocessMs));
      // Images of one request wait and run concurrently: the longest is what the request paid.
      field(line, message, "queueMs", max(timings, Timings::queueMs));
      field(line, message, "inferenceMs", max(timings, Timings::inferenceMs));
    }
    line.log(message.toString());
  }

  private static void field(
      LoggingEventBuilder line, StringBuilder message, String key, Object value) {
    line.addKeyValue(key, value);
    message.append(' ').append(key).append('=').append(value);
  }

  private static double sum(List<Timings> timings, ToDoubleFunction<Timings> stage) {
    return round(timings.stream().mapToDouble(stage).sum());
  }

  private static double max(List<Timings> timings, ToDoubleFunction<Timings> stage) {
    return round(timings.stream().mapToDouble(stage).max().orElse(0));
  }

  private static double millis(long nanos) {
    return round(nanos / 1e6);
  }

  private static double round(double millis) {
    return Math.round(millis * 100) / 100.0;
  }
}
