package dev.classifier.api;

import java.net.URI;
import org.springframework.http.HttpStatusCode;

/**
 * Every kind of error the API returns, each with a stable {@code type} URI (RFC 9457) that clients
 * can switch on; the status and title are fixed per kind so the same failure always looks the same.
 * Drives the error handler, the metrics' {@code type} tag and the OpenAPI document.
 */
public enum ProblemType {
  MALFORMED_REQUEST(400, "malformed-request", "Malformed request"),
  MISSING_IMAGE(400, "missing-image", "No image in the request"),
  INVALID_TOP_K(400, "invalid-top-k", "Invalid topK"),
  TOO_MANY_IMAGES(400, "too-many-images", "Too many images in one request"),
  INVALID_CLASS(400, "invalid-class", "Invalid class index"),
  UNAUTHORIZED(401, "unauthorized", "Credentials missing, unknown or invalid"),
  FORBIDDEN(403, "forbidden", "Credentials lack the required scope"),
  EXPLANATIONS_UNSUPPORTED(400, "explanations-unsupported", "The served model cannot be explained"),
  NOT_FOUND(404, "not-found", "Not found"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
  UPLOAD_TOO_SLOW(408, "upload-too-slow", "Upload too slow"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Upload too large"),
  IMAGE_TOO_LARGE(413, "image-too-large", "Image has too many pixels"),
  URI_TOO_LONG(414, "uri-too-long", "URI too long"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  CORRUPT_IMAGE(422, "corrupt-image", "Corrupt or truncated image"),
  QUEUE_FULL(429, "queue-full", "Inference queue full"),
  QUOTA_EXCEEDED(429, "quota-exceeded", "Caller over its quota"),
  DEADLINE_EXCEEDED(503, "deadline-exceeded", "Request deadline exceeded"),
  OVERLOADED(503, "overloaded", "Memory budget exhausted"),
  NOT_READY(503, "not-ready", "Model not ready"),
  SHUTTING_DOWN(503, "shutting-down", "Service shutting down"),
  INTERNAL_ERROR(500, "internal-error", "Internal error"),
  /**
   * The client disconnected before its answer: never seen by a client, only in the request log and
   * the metrics. 499 as nginx logs it.
   */
  CLIENT_CLOSED_REQUEST(499, "client-closed-request", "Client closed request");

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

  /**
   * The type of an error only its status is known of, as Tomcat reports it before the application
   * sees the request. A status no type has (Tomcat's 501 for CONNECT, 505) is answered with the
   * nearest type's status, so a type always comes with the same status.
   */
  static ProblemType forStatus(int status) {
    return switch (status) {
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 408 -> UPLOAD_TOO_SLOW;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 414 -> URI_TOO_LONG;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 503 -> SHUTTING_DOWN;
      case 500 -> INTERNAL_ERROR;
      default ->
          status == 501 || status == 505 || status < 500 ? MALFORMED_REQUEST : INTERNAL_ERROR;
    };
  }
}
