package dev.classifier.model.compare;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import dev.classifier.model.ModelMetadata;
import dev.classifier.model.build.OrtRuntime;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * One model opened for comparison: its image input, and class probabilities for one image at a
 * time. The first output holds the class scores (as the service reads it); scores that are not a
 * probability distribution are taken as logits and put through a softmax.
 */
final class ScoredSession implements AutoCloseable {

  /** A row is a distribution when its values are in [0, 1] and sum to 1 within this. */
  private static final double SUM_TOLERANCE = 1e-3;

  private final OrtRuntime runtime;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final String inputName;
  private final TensorLayout layout;
  private final int width;
  private final int height;
  private final long createNanos;
  private final ModelMetadata metadata;
  private Boolean logits;

  private ScoredSession(
      OrtRuntime runtime, OrtSession.SessionOptions options, OrtSession session, long createNanos)
      throws OrtException {
    this.runtime = runtime;
    this.options = options;
    this.session = session;
    this.createNanos = createNanos;
    this.metadata = ModelMetadata.of(session.getMetadata().getCustomMetadata());
    if (session.getNumInputs() != 1 || session.getNumOutputs() < 1) {
      throw new IllegalArgumentException(
          "expected one image input and a class-score output, found inputs "
              + session.getInputNames()
              + " and outputs "
              + session.getOutputNames());
    }
    Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
    long[] shape =
        input.getValue().getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT
            ? t.getShape()
            : new long[0];
    this.inputName = input.getKey();
    if (shape.length == 4 && shape[3] == 3 && shape[1] > 0 && shape[2] > 0) {
      layout = TensorLayout.NHWC;
      height = (int) shape[1];
      width = (int) shape[2];
    } else if (shape.length == 4 && shape[1] == 3 && shape[2] > 0 && shape[3] > 0) {
      layout = TensorLayout.NCHW;
      height = (int) shape[2];
      width = (int) shape[3];
    } else {
      throw new IllegalArgumentException(
          "input '"
              + inputName
              + "' is not a float image [N,H,W,3] or [N,3,H,W]: "
              + input.getValue().getInfo());
    }
  }

  /**
   * @throws IllegalArgumentException when the model cannot be loaded or has no image input
   */
  static ScoredSession open(OrtRuntime runtime, Path model) {
    OrtSession.SessionOptions options = null;
    OrtSession session = null;
    try {
      options = runtime.sessionOptions();
      long start = System.nanoTime();
      session = runtime.environment().createSession(model.toString(), options);
      return new ScoredSession(runtime, options, session, System.nanoTime() - start);
    } catch (OrtException | IllegalArgumentException e) {
      closeQuietly(session);
      if (options != null) {
        options.close();
      }
      throw new IllegalArgumentException("cannot load " + model + ": " + e.getMessage(), e);
    }
  }

  /**
   * What the model is fed: its scaling as {@code preprocessing} says, else as its metadata records.
   *
   * @throws IllegalArgumentException when neither says: fed the wrong scaling a model answers
   *     confident nonsense, and the comparison with it
   */
  InputSpec input(Optional<Normalization> preprocessing) {
    Normalization normalization =
        preprocessing
            .or(() -> metadata.preprocessingOrKnownDefault().map(Normalization::of))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the reference model records no preprocessing in its metadata; give"
                            + " --preprocessing tf, torch, caffe or raw"));
    return new InputSpec(width, height, layout, normalization);
  }

  TensorLayout layout() {
    return layout;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** Wall-clock time ONNX Runtime took to create the session (load, optimise, fuse). */
  long createNanos() {
    return createNanos;
  }

  ModelMetadata metadata() {
    return metadata;
  }

  String signature() {
    return width + "x" + height + " " + layout;
  }

  /**
   * @param pixels one image in this model's layout
   */
  float[] probabilities(float[] pixels) {
    long[] shape =
        layout == TensorLayout.NHWC
            ? new long[] {1, height, width, 3}
            : new long[] {1, 3, height, width};
    // Tensors and results own native memory the GC cannot see: close them on every path.
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(runtime.environment(), FloatBuffer.wrap(pixels), shape);
        OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      FloatBuffer values = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] row = new float[values.remaining()];
      values.get(row);
      if (logits == null) {
        logits = !isDistribution(row);
      }
      return logits ? softmax(row) : row;
    } catch (OrtException e) {
      throw new IllegalStateException("inference failed: " + e.getMessage(), e);
    }
  }

  static boolean isDistribution(float[] row) {
    double sum = 0;
    for (float v : row) {
      if (!(v >= 0 && v <= 1)) {
        return false;
      }
      sum += v;
    }
    return Math.abs(sum - 1) <= SUM_TOLERANCE;
  }

  static float[] softmax(float[] logits) {
    double max = Arrays.stream(toDoubles(logits)).max().orElse(0);
    double sum = 0;
    double[] e = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i] - max);
      sum += e[i];
    }
    float[] p = new float[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (e[i] / sum);
    }
    return p;
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  @Override
  public void close() {
    closeQuietly(session);
    options.close();
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException ignored) {
        // closing after the comparison: nothing left to do with the error
      }
    }
  }
}
