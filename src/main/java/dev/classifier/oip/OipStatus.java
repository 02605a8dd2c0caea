package dev.classifier.oip;

/**
 * Why a V2 request failed, in the protocol's terms; each door maps it to its own status (HTTP code
 * or gRPC status code).
 */
public enum OipStatus {
  /** Malformed or inconsistent request: HTTP 400, gRPC INVALID_ARGUMENT. */
  INVALID(400),
  /** Unknown model or version: HTTP 404, gRPC NOT_FOUND. */
  NOT_FOUND(404),
  /** Larger than a stated limit: HTTP 413, gRPC RESOURCE_EXHAUSTED. */
  TOO_LARGE(413),
  /** The queue is full: HTTP 429, gRPC RESOURCE_EXHAUSTED. */
  OVERLOADED(429),
  /** A protocol feature this service does not offer: HTTP 501, gRPC UNIMPLEMENTED. */
  UNSUPPORTED(501),
  /**
   * Not ready, shutting down or out of memory budget: HTTP 503 with Retry-After, gRPC UNAVAILABLE.
   */
  UNAVAILABLE(503),
  /**
   * The request's deadline (the service's timeout, or a gRPC deadline) passed before its answer:
   * HTTP 503 with Retry-After, as /v1 answers it, gRPC DEADLINE_EXCEEDED.
   */
  DEADLINE_EXCEEDED(503),
  /** The client went away: nobody reads the answer; HTTP 499 (for the log), gRPC CANCELLED. */
  CANCELLED(499),
  /** The service's own fault: HTTP 500, gRPC INTERNAL. */
  INTERNAL(500);

  private final int httpStatus;

  OipStatus(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The status as the request log and the metrics name it, e.g. {@code deadline-exceeded}. */
  public String slug() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
