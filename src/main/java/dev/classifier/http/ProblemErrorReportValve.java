package dev.classifier.http;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's own error pages in the error format of the door the path belongs to (problem+json for
 * /v1 and every path no door claims): what Tomcat rejects before the application sees the request
 * (a malformed request line or URL escape, oversized or too many headers, an overlong URI) and
 * errors that escape the application, answered with the same problem document as everything else
 * instead of Tomcat's HTML. The detail is a fixed text per status, never Tomcat's message (it can
 * quote the request back).
 */
final class ProblemErrorReportValve extends ErrorReportValve {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorReportValve.class);

  private final HttpDoors doors;

  ProblemErrorReportValve(HttpDoors doors) {
    this.doors = doors;
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    if (throwable != null) {
      log.error("request failed outside the application's error handling", throwable);
    }
    Rejection type = Rejection.forStatus(status);
    String requestId = RequestIdFilter.of(request);
    if (requestId == null) {
      requestId = UUID.randomUUID().toString();
    }
    HttpDoor.ErrorBody body =
        doors.errorBody(path(request), new Refusal(type, detail(type), null), requestId, null);
    try {
      response.setStatus(type.status());
      response.setContentType(body.contentType());
      response.setHeader(RequestIdFilter.HEADER, requestId);
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(new String(body.bytes(), StandardCharsets.UTF_8));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response was committed meanwhile: nothing left to tell it.
    }
  }

  /** The path, which picks the door; none for a request Tomcat could not even parse. */
  private static String path(Request request) {
    try {
      return RequestPath.of(request);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String detail(Rejection type) {
    return switch (type) {
      case MALFORMED_REQUEST ->
          "the request could not be parsed: its request line, headers or URL encoding is invalid,"
              + " or its headers are too large or too many";
      case URI_TOO_LONG -> "the request URI is too long";
      case NOT_FOUND -> "no such resource";
      case INTERNAL_ERROR -> "unexpected error; see the service log";
      default -> type.title();
    };
  }
}
