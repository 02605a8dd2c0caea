package dev.classifier.core;

import java.util.List;
import java.util.OptionalLong;

/**
 * The party a request is served for, as the core needs to know it whatever the protocol: when it
 * arrived, whether it is still there, what to free once its images are decoded, and where to record
 * what the request did (the request log and metrics read it when the exchange ends).
 */
public interface Client {

  /** The request's id for correlation (logs, traces, the batch a request shared), or null. */
  default String requestId() {
    return null;
  }

  /** When the request arrived: each image's {@code totalMs} runs from here. */
  long arrivedNanos();

  /** When its body was complete: the request's deadline starts here, not at its first byte. */
  long receivedNanos();

  /**
   * The client's own deadline on the {@link System#nanoTime()} scale, when its protocol carries one
   * (a gRPC deadline): the core keeps whichever comes first, it or {@code
   * classifier.batching.request-timeout} after {@link #receivedNanos()}.
   */
  default OptionalLong deadlineNanos() {
    return OptionalLong.empty();
  }

  /** Whether the client has gone away, so its images need no work; never blocks. */
  boolean gone();

  /** The last answer is in (or the first failure): the core asks {@link #gone()} no more. */
  default void answered() {}

  /** The encoded images are decoded: the memory holding them can be given back. */
  default void release() {}

  /** Records the size of each image, before any work. */
  default void images(List<Integer> bytes) {}

  /** Records each image's timings, once the answer is assembled. */
  default void timings(List<Classification.Timings> perImage) {}
}
