package dev.classifier.inference;

import java.time.Duration;

/**
 * The service refused work it could not do in time: the queue is full, the request's deadline
 * passed while it waited, the model is still warming up, the service is shutting down, or the
 * client went away. The client may retry later.
 */
public class RejectedException extends RuntimeException {

  /** Why; the API gives each its own status and problem type. */
  public enum Reason {
    QUEUE_FULL,
    DEADLINE_EXCEEDED,
    NOT_READY,
    SHUTTING_DOWN,
    /** The client disconnected before its image was run: nobody is left to answer. */
    CLIENT_GONE
  }

  private final Reason reason;
  private final Duration retryAfter;

  public RejectedException(Reason reason, String message, Duration retryAfter) {
    super(message);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  public Reason reason() {
    return reason;
  }

  /** A hint for the {@code Retry-After} header. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
