package dev.classifier.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds every problem response the service sends, RFC 9457 with the stable type, the fixed title
 * and the request id; and writes it directly for the places Spring MVC does not reach (the upload
 * reader, Tomcat's own rejections, the security chain's refusals).
 */
public final class Problems {

  /**
   * With Spring's mixin, so extra properties (requestId) are top-level members as RFC 9457 wants.
   */
  private static final JsonMapper JSON =
      JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

  private Problems() {}

  static ProblemDetail detail(ProblemType type, String detail, String path, String requestId) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
    problem.setType(type.type());
    problem.setTitle(type.title());
    if (path != null) {
      problem.setInstance(URI.create(path));
    }
    problem.setProperty("requestId", requestId);
    return problem;
  }

  /** Retry-After is whole seconds; rounded up so a client never retries before the hint. */
  static String retryAfterSeconds(Duration hint) {
    return Long.toString(Math.max(1, (hint.toMillis() + 999) / 1000));
  }

  /**
   * Writes a problem as the whole response body of a refused upload, outside Spring MVC, records it
   * on the request's outcome when there is one, and says the connection will close. It is sent
   * without a Content-Length: writing that many bytes would close the response (the Servlet spec's
   * closure of the response object), and Tomcat closes the request's input with it, so the rest of
   * the body could no longer be read away and the connection would be closed under a client still
   * sending it, which then often loses this answer. Without a length the answer goes out at once
   * and ends when the exchange completes.
   */
  public static void writeRefusal(
      HttpServletRequest request,
      HttpServletResponse response,
      ProblemType type,
      String detail,
      Duration retryAfter)
      throws IOException {
    String requestId = RequestIdFilter.of(request);
    RequestOutcome outcome = RequestOutcome.of(request);
    if (outcome != null) {
      outcome.problem(type);
    }
    byte[] body =
        json(
            detail(
                type,
                detail,
                safePath(request),
                requestId == null ? UUID.randomUUID().toString() : requestId));
    response.setStatus(type.status().value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    if (requestId != null) {
      response.setHeader(ApiContract.REQUEST_ID_HEADER, requestId);
    }
    if (retryAfter != null) {
      response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds(retryAfter));
    }
    response.setHeader(HttpHeaders.CONNECTION, "close");
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  static byte[] json(ProblemDetail problem) {
    return JSON.writeValueAsBytes(problem);
  }

  /** The request path as an instance URI, or none when the path cannot be one. */
  static String safePath(HttpServletRequest request) {
    String uri = request.getRequestURI();
    try {
      return uri == null ? null : URI.create(uri).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
