package dev.classifier.inference;

import java.util.Map;

/**
 * Whether ONNX Runtime's intra-op threads busy-wait for work. Spinning answers the next operator
 * sooner, but a spinning thread burns a CPU that request threads need for decoding, and that a
 * container's CPU quota pays for.
 */
public enum Spinning {
  /** Threads sleep as soon as they run out of work. */
  OFF(Map.of("session.intra_op.allow_spinning", "0")),
  /**
   * Threads spin between the operators of a session call and stop when the last concurrent call
   * returns ({@code session.force_spinning_stop}): fast inside a run, idle between runs.
   */
  DURING_RUNS(Map.of("session.intra_op.allow_spinning", "1", "session.force_spinning_stop", "1")),
  /** ONNX Runtime's default: threads keep spinning for a while after each run, too. */
  ALWAYS(Map.of("session.intra_op.allow_spinning", "1"));

  private final Map<String, String> sessionConfig;

  Spinning(Map<String, String> sessionConfig) {
    this.sessionConfig = sessionConfig;
  }

  /** The session config entries that select this behaviour. */
  public Map<String, String> sessionConfig() {
    return sessionConfig;
  }
}
