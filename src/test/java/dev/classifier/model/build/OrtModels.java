package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Test helpers: run a model file in ONNX Runtime, read the graph ONNX Runtime optimised it to. */
final class OrtModels {

  private OrtModels() {}

  static ModelProto read(Path model) {
    try {
      return ModelProto.parseFrom(Files.readAllBytes(model));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param optimize false runs the graph exactly as written (QDQ nodes executed one by one)
   * @return the named output, flattened
   */
  static float[] run(
      OrtRuntime runtime, Path model, String output, float[] input, long[] shape, boolean optimize)
      throws OrtException {
    try (OrtSession.SessionOptions options = runtime.sessionOptions()) {
      if (!optimize) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      }
      try (OrtSession session = runtime.environment().createSession(model.toString(), options);
          OnnxTensor tensor =
              OnnxTensor.createTensor(runtime.environment(), FloatBuffer.wrap(input), shape);
          OrtSession.Result result =
              session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
        FloatBuffer values = ((OnnxTensor) result.get(output).orElseThrow()).getFloatBuffer();
        float[] out = new float[values.remaining()];
        values.get(out);
        return out;
      }
    }
  }

  /** The model as ONNX Runtime runs it after all graph optimisations (QDQ fusion included). */
  static ModelProto optimized(OrtRuntime runtime, Path model, Path optimizedFile)
      throws OrtException {
    try (OrtSession.SessionOptions options = runtime.sessionOptions()) {
      options.setOptimizedModelFilePath(optimizedFile.toString());
      try (OrtSession session = runtime.environment().createSession(model.toString(), options)) {
        // created only to have the optimised graph written
      }
    }
    return read(optimizedFile);
  }

  /** Node count per op type, {@code domain:op} for non-default domains. */
  static Map<String, Integer> opCounts(ModelProto model) {
    Map<String, Integer> counts = new TreeMap<>();
    for (NodeProto node : model.getGraph().getNodeList()) {
      String domain = node.getDomain();
      counts.merge(
          domain.isEmpty() ? node.getOpType() : domain + ":" + node.getOpType(), 1, Integer::sum);
    }
    return counts;
  }

  static int argmax(float[] p, int from, int length) {
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (p[from + i] > p[from + best]) {
        best = i;
      }
    }
    return best;
  }
}
