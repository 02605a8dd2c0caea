package dev.classifier.http;

import dev.classifier.rest.v1.ApiContract;
import dev.classifier.rest.v1.ProblemType;
import dev.classifier.rest.v1.Problems;
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
 * Tomcat's own error pages as problem+json: what Tomcat rejects before the application sees the
 * request (a malformed request line or URL escape, oversized or too many headers, an overlong URI)
 * and errors that escape the application, answered with the same problem document as everything
 * else instead of Tomcat's HTML. The detail is a fixed text per status, never Tomcat's message (it
 * can quote the request back).
 */
final class ProblemErrorReportValve extends ErrorReportValve {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorReportValve.class);

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
    ProblemType type = ProblemType.forStatus(status);
    String requestId = RequestIdFilter.of(request);
    if (requestId == null) {
      requestId = UUID.randomUUID().toString();
    }
    byte[] body = Problems.json(Problems.detail(type, detail(type), null, requestId));
    try {
      response.setStatus(type.status().value());
      response.setContentType("application/problem+json");
      response.setHeader(ApiContract.REQUEST_ID_HEADER, requestId);
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(new String(body, StandardCharsets.UTF_8));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response was committed meanwhile: nothing left to tell it.
    }
  }

  private static String detail(ProblemType type) {
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
