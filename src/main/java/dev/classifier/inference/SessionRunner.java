package dev.classifier.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.classifier.image.TensorLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One worker's reusable tensors: the input tensor wraps a direct buffer the runner fills, and the
 * outputs are pinned tensors ONNX Runtime writes into, so a session call copies the images once and
 * allocates no tensor. Tensors are made on first use per batch size. Not thread-safe: one per
 * worker.
 */
final class SessionRunner implements BatchRunner {

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final ModelSignature signature;
  private final FloatBuffer input;
  private final Map<Integer, Tensors> bySize = new HashMap<>();

  SessionRunner(
      OrtEnvironment environment, OrtSession session, ModelSignature signature, int maxBatchSize) {
    this.environment = environment;
    this.session = session;
    this.signature = signature;
    input = directFloats((long) maxBatchSize * signature.imageSize());
  }

  /** The tensors of one batch size; the feature tensor is made only once a batch asks for it. */
  private final class Tensors implements AutoCloseable {
    final OnnxTensor in;
    final OnnxTensor scores;
    final FloatBuffer scoreValues;
    OnnxTensor features;
    FloatBuffer featureValues;

    Tensors(int n) throws OrtException {
      FloatBuffer slice = input.duplicate().position(0).limit(n * signature.imageSize()).slice();
      long[] shape =
          signature.layout() == TensorLayout.NHWC
              ? new long[] {n, signature.height(), signature.width(), 3}
              : new long[] {n, 3, signature.height(), signature.width()};
      in = OnnxTensor.createTensor(environment, slice, shape);
      scoreValues = directFloats((long) n * signature.classes());
      scores =
          OnnxTensor.createTensor(environment, scoreValues, new long[] {n, signature.classes()});
    }

    void ensureFeatures(int n, ModelSignature.FeatureOutput output) throws OrtException {
      if (features == null) {
        long[] shape = output.shape().clone();
        shape[0] = n;
        featureValues = directFloats((long) n * output.size());
        features = OnnxTensor.createTensor(environment, featureValues, shape);
      }
    }

    @Override
    public void close() {
      in.close();
      scores.close();
      if (features != null) {
        features.close();
      }
    }
  }

  @Override
  public BatchOutput run(List<float[]> images, boolean wantFeatures, int othersInFlight) {
    int n = images.size();
    ModelSignature.FeatureOutput featureOutput =
        wantFeatures
            ? signature
                .featureOutput()
                .orElseThrow(() -> new IllegalStateException("the model has no feature output"))
            : null;
    try {
      Tensors tensors = bySize.get(n);
      if (tensors == null) {
        tensors = new Tensors(n);
        bySize.put(n, tensors);
      }
      input.clear();
      for (float[] image : images) {
        input.put(image);
      }
      Map<String, OnnxValue> pinned = new HashMap<>(2);
      pinned.put(signature.outputName(), tensors.scores);
      if (featureOutput != null) {
        tensors.ensureFeatures(n, featureOutput);
        pinned.put(featureOutput.name(), tensors.features);
      }
      // The pinned outputs stay ours: the result holds no other native value, but is closed
      // anyway.
      try (OrtSession.Result ignored =
          session.run(Map.of(signature.inputName(), tensors.in), pinned)) {
        // outputs are in the pinned tensors' buffers
      }
      return new BatchOutput(
          rows(tensors.scoreValues, n, signature.classes()),
          featureOutput == null ? null : rows(tensors.featureValues, n, featureOutput.size()));
    } catch (OrtException e) {
      throw new InferenceException("inference failed: " + e.getMessage(), e);
    }
  }

  private static float[][] rows(FloatBuffer values, int n, int size) {
    float[][] rows = new float[n][size];
    for (int i = 0; i < n; i++) {
      values.get(i * size, rows[i]);
    }
    return rows;
  }

  @Override
  public void close() {
    bySize.values().forEach(Tensors::close);
    bySize.clear();
  }

  private static FloatBuffer directFloats(long count) {
    return ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES))
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }
}
