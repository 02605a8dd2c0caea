package dev.classifier.rest.v1;

import dev.classifier.http.Rejection;
import java.net.URI;
import org.springframework.http.HttpStatusCode;

/**
 * Every kind of error the API returns, each with a stable {@code type} URI (RFC 9457) that clients
 * can switch on; the status and title are fixed per kind so the same failure always looks the same.
 * The kinds the transport answers itself take status, slug and title from its {@link Rejection}.
 * Drives the error handler, the metrics' {@code type} tag and the OpenAPI document.
 */
public enum ProblemType {
  MALFORMED_REQUEST(Rejection.MALFORMED_REQUEST),
  MISSING_IMAGE(400, "missing-image", "No image in the request"),
  INVALID_TOP_K(400, "invalid-top-k", "Invalid topK"),
  TOO_MANY_IMAGES(400, "too-many-images", "Too many images in one request"),
  INVALID_CLASS(400, "invalid-class", "Invalid class index"),
  EXPLANATIONS_UNSUPPORTED(400, "explanations-unsupported", "The served model cannot be explained"),
  NOT_FOUND(Rejection.NOT_FOUND),
  METHOD_NOT_ALLOWED(Rejection.METHOD_NOT_ALLOWED),
  NOT_ACCEPTABLE(Rejection.NOT_ACCEPTABLE),
  UPLOAD_TOO_SLOW(Rejection.UPLOAD_TOO_SLOW),
  PAYLOAD_TOO_LARGE(Rejection.PAYLOAD_TOO_LARGE),
  IMAGE_TOO_LARGE(413, "image-too-large", "Image has too many pixels"),
  URI_TOO_LONG(Rejection.URI_TOO_LONG),
  UNSUPPORTED_MEDIA_TYPE(Rejection.UNSUPPORTED_MEDIA_TYPE),
  CORRUPT_IMAGE(422, "corrupt-image", "Corrupt or truncated image"),
  QUEUE_FULL(429, "queue-full", "Inference queue full"),
  DEADLINE_EXCEEDED(503, "deadline-exceeded", "Request deadline exceeded"),
  OVERLOADED(Rejection.OVERLOADED),
  NOT_READY(503, "not-ready", "Model not ready"),
  SHUTTING_DOWN(Rejection.SHUTTING_DOWN),
  INTERNAL_ERROR(Rejection.INTERNAL_ERROR),
  /** The client disconnected before its answer: only in the request log and the metrics. */
  CLIENT_CLOSED_REQUEST(Rejection.CLIENT_CLOSED_REQUEST);

  /**
   * Prefix of every type URI; a URN because these identify kinds of error, they are not pages to
   * fetch.
   */
  public static final String PREFIX = "urn:problem-type:classifier:";

  private final int status;
  private final String slug;
  private final URI type;
  private final String title;

  ProblemType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.type = URI.create(PREFIX + slug);
    this.title = title;
  }

  /** One of the transport's own answers, with its status, slug and title. */
  ProblemType(Rejection rejection) {
    this(rejection.status(), rejection.slug(), rejection.title());
  }

  public HttpStatusCode status() {
    return HttpStatusCode.valueOf(status);
  }

  /** The last segment of {@link #type()}: short enough for a metrics tag or a log field. */
  public String slug() {
    return slug;
  }

  public URI type() {
    return type;
  }

  public String title() {
    return title;
  }

  /** Whether clients can receive it, so the OpenAPI document lists it. */
  public boolean documented() {
    return this != CLIENT_CLOSED_REQUEST;
  }

  /** The type a transport refusal has on /v1. */
  static ProblemType of(Rejection rejection) {
    return valueOf(rejection.name());
  }
}
