package dev.classifier.http;

import dev.classifier.core.Classification.Timings;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one log line per API request: request id, trace id (when tracing), status, problem type,
 * image count and sizes, and where the time went. The fields are SLF4J key-values (JSON fields
 * under Spring Boot's structured logging, {@code logging.structured.format.console=ecs}) and are
 * repeated in the message as {@code key=value} pairs, so the plain console log is greppable too.
 */
public final class RequestLog {

  /**
   * The request attribute under which the authentication leaves the caller (its {@code toString} is
   * the log's {@code caller} field: a key id or a JWT subject, never a credential).
   */
  public static final String CALLER_ATTRIBUTE = "dev.classifier.http.caller";

  private static final Logger log = LoggerFactory.getLogger("dev.classifier.request");

  private RequestLog() {}

  static void write(
      String requestId,
      String traceId,
      String method,
      String path,
      int status,
      long nanos,
      RequestOutcome outcome,
      Object caller) {
    write(
        requestId,
        traceId,
        method,
        path,
        status,
        nanos,
        caller,
        outcome.problem(),
        outcome.imageBytes(),
        outcome.timings());
  }

  /**
   * The line for a request through any door; the gRPC door logs its calls with {@code method}
   * {@code grpc}, the RPC's full name as {@code path} and the status code's name as {@code status}.
   *
   * @param traceId the trace the request belongs to, or null
   * @param caller who sent it (its {@code toString}: a key id or JWT subject), or null for nobody
   * @param problem the error's slug, or null for a success
   * @param sizes each image's bytes, or null when the request carried none
   * @param timings each image's stage timings, or null
   */
  public static void write(
      String requestId,
      String traceId,
      String method,
      String path,
      Object status,
      long nanos,
      Object caller,
      String problem,
      List<Integer> sizes,
      List<Timings> timings) {
    if (!log.isInfoEnabled()) {
      return;
    }
    LoggingEventBuilder line = log.atInfo();
    StringBuilder message = new StringBuilder("request");
    field(line, message, "requestId", requestId);
    if (traceId != null) {
      field(line, message, "traceId", traceId);
    }
    field(line, message, "method", method);
    field(line, message, "path", path);
    field(line, message, "status", status);
    // Who sent it: a key id or JWT subject, never a key.
    field(line, message, "caller", caller == null ? "anonymous" : caller.toString());
    if (problem != null) {
      field(line, message, "type", problem);
    }
    if (sizes != null) {
      field(line, message, "images", sizes.size());
      field(
          line,
          message,
          "bytes",
          sizes.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    field(line, message, "totalMs", round(nanos / 1e6));
    if (timings != null && !timings.isEmpty() && problem == null) {
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

  private static double round(double millis) {
    return Math.round(millis * 100) / 100.0;
  }
}
