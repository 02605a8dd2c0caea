package dev.classifier.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The HTTP doors the service has, found by path: the longest prefix claims a request, and the door
 * that words unclaimed errors answers for the rest. Writes the transport's own refusals in the
 * claiming door's format.
 */
@Component
public final class HttpDoors {

  private final List<HttpDoor> doors;
  private final HttpDoor unclaimed;

  HttpDoors(List<HttpDoor> doors) {
    this.doors =
        doors.stream()
            .sorted(
                Comparator.comparingInt((HttpDoor door) -> door.pathPrefix().length()).reversed())
            .toList();
    this.unclaimed = doors.stream().filter(HttpDoor::wordsUnclaimedErrors).findFirst().orElse(null);
  }

  List<HttpDoor> all() {
    return doors;
  }

  /** The door whose prefix the path starts with, or null. */
  HttpDoor claiming(String path) {
    for (HttpDoor door : doors) {
      if (path.startsWith(door.pathPrefix())) {
        return door;
      }
    }
    return null;
  }

  boolean isUpload(HttpServletRequest request) {
    String path = RequestPath.of(request);
    HttpDoor door = claiming(path);
    return door != null && door.isUpload(request.getMethod(), path, request.getContentType());
  }

  boolean isClassification(HttpServletRequest request) {
    String path = RequestPath.of(request);
    HttpDoor door = claiming(path);
    return door != null && door.isClassification(request.getMethod(), path);
  }

  /**
   * A refusal as the body the door of {@code path} (the one for unclaimed errors when none claims
   * it) writes; plain text when there is no door at all.
   */
  HttpDoor.ErrorBody errorBody(String path, Refusal refusal, String requestId, String instance) {
    HttpDoor door = path == null ? null : claiming(path);
    if (door == null) {
      door = unclaimed;
    }
    if (door == null) {
      return new HttpDoor.ErrorBody(
          "text/plain;charset=UTF-8",
          (refusal.kind().title() + ": " + refusal.detail()).getBytes(StandardCharsets.UTF_8));
    }
    return door.errorBody(refusal, requestId, instance);
  }

  /**
   * Writes a refusal as the whole response body of a refused upload, outside Spring MVC, records it
   * on the request's outcome when there is one, and says the connection will close. It is sent
   * without a Content-Length: writing that many bytes would close the response (the Servlet spec's
   * closure of the response object), and Tomcat closes the request's input with it, so the rest of
   * the body could no longer be read away and the connection would be closed under a client still
   * sending it, which then often loses this answer. Without a length the answer goes out at once
   * and ends when the exchange completes.
   */
  public void writeRefusal(
      HttpServletRequest request, HttpServletResponse response, Refusal refusal)
      throws IOException {
    write(request, response, refusal, true);
  }

  /**
   * Writes a refusal as a whole response, in the format of the door that claims the request's path,
   * and records it on the request's outcome; {@code closing} says the connection will close (a
   * refused upload whose body is not read).
   */
  void write(
      HttpServletRequest request, HttpServletResponse response, Refusal refusal, boolean closing)
      throws IOException {
    String requestId = RequestIdFilter.of(request);
    RequestOutcome outcome = RequestOutcome.of(request);
    if (outcome != null) {
      outcome.problem(refusal.kind().slug());
    }
    HttpDoor.ErrorBody body =
        errorBody(
            RequestPath.of(request),
            refusal,
            requestId == null ? UUID.randomUUID().toString() : requestId,
            RequestPath.instance(request));
    response.setStatus(refusal.kind().status());
    response.setContentType(body.contentType());
    if (requestId != null) {
      response.setHeader(RequestIdFilter.HEADER, requestId);
    }
    if (refusal.retryAfter() != null) {
      response.setHeader(HttpHeaders.RETRY_AFTER, Refusal.retryAfterSeconds(refusal.retryAfter()));
    }
    if (closing) {
      response.setHeader(HttpHeaders.CONNECTION, "close");
    } else {
      response.setContentLength(body.bytes().length);
    }
    response.getOutputStream().write(body.bytes());
    response.flushBuffer();
  }
}
