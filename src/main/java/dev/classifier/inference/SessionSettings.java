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
    options.setIntraOpNumThreads(threads.intraOpThreads());
    // One operator at a time: parallelism comes from intra-op threads and from batch workers.
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    for (Map.Entry<String, String> entry : spinning.sessionConfig().entrySet()) {
      options.addConfigEntry(entry.getKey(), entry.getValue());
    }
  }
}
