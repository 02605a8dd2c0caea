package dev.classifier.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * How the ONNX Runtime session is created: where it runs and how it uses its threads.
 *
 * @param allowSpinning whether idle intra-op threads busy-wait for the next operator; faster on an
 *     otherwise idle machine, but the spinning burns CPU that request threads need for decoding and
 *     that a container's CPU quota pays for
 */
public record SessionSettings(
    ExecutionProvider provider, int deviceId, ThreadBudget threads, boolean allowSpinning) {

  /**
   * Applies the thread settings; shared with the benchmark's raw-session floor so both run the same
   * way.
   */
  public void applyThreading(OrtSession.SessionOptions options) throws OrtException {
    options.setIntraOpNumThreads(threads.intraOpThreads());
    // One operator at a time: parallelism comes from intra-op threads and from batch workers.
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    options.addConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
  }
}
