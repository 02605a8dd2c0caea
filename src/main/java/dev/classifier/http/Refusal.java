package dev.classifier.http;

import java.time.Duration;

/**
 * One answer the transport gives itself, in no wire format yet: a door's {@link HttpDoor#errorBody}
 * words it.
 *
 * @param detail what happened to this request; safe to show (never quotes the request back)
 * @param retryAfter when to try again, or null
 */
public record Refusal(Rejection kind, String detail, Duration retryAfter) {

  /** Retry-After is whole seconds; rounded up so a client never retries before the hint. */
  public static String retryAfterSeconds(Duration hint) {
    return Long.toString(Math.max(1, (hint.toMillis() + 999) / 1000));
  }
}
