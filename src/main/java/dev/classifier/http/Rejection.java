package dev.classifier.http;

/**
 * The kinds of answer the transport gives itself, before or instead of any door: each with its
 * status, a stable slug (a metrics tag, a log field, the last segment of a problem type) and a
 * fixed title. Doors word them in their own error format.
 */
public enum Rejection {
  MALFORMED_REQUEST(400, "malformed-request", "Malformed request"),
  NOT_FOUND(404, "not-found", "Not found"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
  UPLOAD_TOO_SLOW(408, "upload-too-slow", "Upload too slow"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Upload too large"),
  URI_TOO_LONG(414, "uri-too-long", "URI too long"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  OVERLOADED(503, "overloaded", "Memory budget exhausted"),
  SHUTTING_DOWN(503, "shutting-down", "Service shutting down"),
  INTERNAL_ERROR(500, "internal-error", "Internal error"),
  /**
   * The client disconnected before its answer: never seen by a client, only in the request log and
   * the metrics. 499 as nginx logs it.
   */
  CLIENT_CLOSED_REQUEST(499, "client-closed-request", "Client closed request");

  private final int status;
  private final String slug;
  private final String title;

  Rejection(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  /**
   * The kind of an error only its status is known of, as Tomcat reports it before the application
   * sees the request. A status no kind has (Tomcat's 501 for CONNECT, 505) is answered with the
   * nearest kind's status, so a kind always comes with the same status.
   */
  public static Rejection forStatus(int status) {
    return switch (status) {
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
