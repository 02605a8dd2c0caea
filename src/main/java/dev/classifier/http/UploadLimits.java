package dev.classifier.http;

import java.time.Duration;

/**
 * What a request body may cost: its size, its pace, and its time.
 *
 * @param maxUpload the largest body, in bytes ({@code classifier.max-upload-size})
 * @param minRate the slowest average pace in bytes per second, judged after {@link #RATE_GRACE}
 * @param timeout the longest a body may take to arrive
 */
record UploadLimits(long maxUpload, long minRate, Duration timeout) {

  /** How long an upload may take before its average rate is judged. */
  static final Duration RATE_GRACE = Duration.ofSeconds(10);

  /**
   * Bytes of a refused body read and thrown away before closing, so that a client still sending
   * receives the refusal rather than a reset connection.
   */
  static final long DISCARD_LIMIT = 64L << 20;

  /**
   * Why a body is too slow, or null while it is fast enough (or too young to judge).
   *
   * @param received bytes so far
   * @param elapsedNanos since the request arrived
   */
  String tooSlow(long received, long elapsedNanos) {
    if (elapsedNanos < RATE_GRACE.toNanos()) {
      return null;
    }
    long rate = received * 1_000_000_000L / elapsedNanos;
    return rate >= minRate
        ? null
        : "the body arrived at "
            + rate
            + " bytes/s, below the minimum of "
            + minRate
            + " bytes/s (classifier.upload.min-rate)";
  }
}
