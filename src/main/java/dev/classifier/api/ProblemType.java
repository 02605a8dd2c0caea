package dev.classifier.api;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every kind of error the API returns, each with a stable {@code type} URI (RFC 9457) that clients
 * can switch on; the status and title are fixed per kind so the same failure always looks the same.
 */
public enum ProblemType {
  MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request"),
  MISSING_IMAGE(HttpStatus.BAD_REQUEST, "missing-image", "No image in the request"),
  INVALID_TOP_K(HttpStatus.BAD_REQUEST, "invalid-top-k", "Invalid topK"),
  TOO_MANY_IMAGES(HttpStatus.BAD_REQUEST, "too-many-images", "Too many images in one request"),
  INVALID_CLASS(HttpStatus.BAD_REQUEST, "invalid-class", "Invalid class index"),
  EXPLANATIONS_UNSUPPORTED(
      HttpStatus.BAD_REQUEST, "explanations-unsupported", "The served model cannot be explained"),
  NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
  NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable"),
  PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Upload too large"),
  IMAGE_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "image-too-large", "Image has too many pixels"),
  UNSUPPORTED_MEDIA_TYPE(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
  CORRUPT_IMAGE(HttpStatus.UNPROCESSABLE_CONTENT, "corrupt-image", "Corrupt or truncated image"),
  QUEUE_FULL(HttpStatus.TOO_MANY_REQUESTS, "queue-full", "Inference queue full"),
  DEADLINE_EXCEEDED(
      HttpStatus.SERVICE_UNAVAILABLE, "deadline-exceeded", "Request deadline exceeded"),
  NOT_READY(HttpStatus.SERVICE_UNAVAILABLE, "not-ready", "Model not ready"),
  SHUTTING_DOWN(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "Service shutting down"),
  INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error");

  /**
   * Prefix of every type URI; a URN because these identify kinds of error, they are not pages to
   * fetch.
   */
  public static final String PREFIX = "urn:problem-type:classifier:";

  private final HttpStatus status;
  private final String slug;
  private final URI type;
  private final String title;

  ProblemType(HttpStatus status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.type = URI.create(PREFIX + slug);
    this.title = title;
  }

  public HttpStatus status() {
    return status;
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
}
