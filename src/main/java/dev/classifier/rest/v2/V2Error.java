package dev.classifier.rest.v2;

import dev.classifier.oip.OipException;
import dev.classifier.oip.OipStatus;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The V2 REST error answer (KServe required_api.md: {@code {"error": "<message>"}}) with the HTTP
 * status for its cause, and {@code Retry-After} when waiting helps (429 overloaded, 503 not ready,
 * out of memory budget or past the deadline).
 *
 * @param retryAfterSeconds the {@code Retry-After} value, if any
 */
public record V2Error(int status, byte[] body, Optional<Long> retryAfterSeconds) {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** Seconds a client is told to wait when the service is overloaded or not ready. */
  public static final long RETRY_AFTER_SECONDS = 1;

  public static V2Error of(OipException e) {
    return of(e.status(), e.getMessage());
  }

  public static V2Error of(OipStatus status, String message) {
    boolean retry =
        status == OipStatus.OVERLOADED
            || status == OipStatus.UNAVAILABLE
            || status == OipStatus.DEADLINE_EXCEEDED;
    return new V2Error(
        status.httpStatus(),
        body(message),
        retry ? Optional.of(RETRY_AFTER_SECONDS) : Optional.empty());
  }

  /** {@code {"error": message}}. */
  static byte[] body(String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      generator.writeStartObject();
      generator.writeStringProperty("error", message);
      generator.writeEndObject();
    }
    return out.toByteArray();
  }
}
