package dev.classifier.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.classifier.inference.ExecutionProvider;
import dev.classifier.inference.SessionSettings;
import dev.classifier.inference.ThreadBudget;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The floor: ONNX Runtime's own {@code session.run} at batch 1 in this JVM, with the session
 * options the service uses (intra-op threads as given, one inter-op thread, sequential execution,
 * all graph optimisations; see {@code dev.classifier.inference.ModelSession}). Only {@code run} is
 * timed: the input tensor is built once.
 */
final class RawSession {

  private RawSession() {}

  /** The model's input name and its shape at batch 1, read from the graph. */
  record InputShape(String name, long[] shape) {
    boolean nhwc() {
      return shape[3] == 3;
    }

    int height() {
      return (int) (nhwc() ? shape[1] : shape[2]);
    }

    int width() {
      return (int) (nhwc() ? shape[2] : shape[3]);
    }
  }

  static InputShape inputShape(Path model) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toString(), options)) {
      Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
      long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape().clone();
      shape[0] = 1;
      return new InputShape(input.getKey(), shape);
    }
  }

  /**
   * The service's own session settings, so the floor runs exactly as the service's session does.
   */
  private static SessionSettings session(int intraOpThreads, boolean allowSpinning) {
    return new SessionSettings(
        ExecutionProvider.CPU,
        0,
        new ThreadBudget(intraOpThreads, 1, intraOpThreads),
        allowSpinning);
  }

  /** The duration of each timed {@code run} and the CPU time of this JVM per run while they ran. */
  record Run(long[] nanos, double cpuMillisPerRun) {}

  /**
   * @param pixels one preprocessed image in the model's layout
   */
  static Run time(
      Path model, int intraOpThreads, boolean allowSpinning, float[] pixels, int warmUp, int runs)
      throws OrtException {
    InputShape input = inputShape(model);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    FloatBuffer buffer =
        ByteBuffer.allocateDirect(pixels.length * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    buffer.put(pixels).flip();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      session(intraOpThreads, allowSpinning).applyThreading(options);
      try (OrtSession session = env.createSession(model.toString(), options);
          OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, input.shape())) {
        Map<String, OnnxTensor> feed = Map.of(input.name(), tensor);
        for (int i = 0; i < warmUp; i++) {
          try (OrtSession.Result ignored = session.run(feed)) {
            // warm-up: arenas, kernel selection, caches
          }
        }
        long[] nanos = new long[runs];
        double cpuStart = Cpu.selfMillis();
        for (int i = 0; i < runs; i++) {
          long start = System.nanoTime();
          try (OrtSession.Result ignored = session.run(feed)) {
            nanos[i] = System.nanoTime() - start;
          }
        }
        return new Run(nanos, (Cpu.selfMillis() - cpuStart) / runs);
      }
    }
  }
}
