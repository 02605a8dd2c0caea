package dev.classifier.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;

/**
 * How the ONNX Runtime session is created: where it runs and how it uses its threads.
 *
 * @param spinning whether intra-op threads busy-wait for work (see {@link Spinning})
 */
public record SessionSettings(
    ExecutionProvider provider, int deviceId, ThreadBudget threads, Spinning spinning) {

  /**
   * Applies the thread settings; shared with the benchmark so it can run exactly as the service.
   */
  public void applyThreading(OrtSession.SessionOptions options) throws OrtException {
    apply(options, threads.intraOpThreads(), spinning);
  }

  /**
   * The same options on one thread, the calling one: the session an adaptive budget runs
   * overlapping calls on. It has no intra-op pool, so spinning means nothing to it.
   */
  public void applySingleThreaded(OrtSession.SessionOptions options) throws OrtException {
    apply(options, 1, Spinning.OFF);
  }

  private static void apply(OrtSession.SessionOptions options, int intraOpThreads, Spinning spin)
      throws OrtException {
    options.setIntraOpNumThreads(intraOpThreads);
    // One operator at a time: parallelism comes from intra-op threads and from batch workers.
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    for (Map.Entry<String, String> entry : spin.sessionConfig().entrySet()) {
      options.addConfigEntry(entry.getKey(), entry.getValue());
    }
  }
}
