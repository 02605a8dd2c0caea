package dev.classifier.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The one ONNX Runtime session of the process: created at start-up, checked against what the
 * service needs, and run by the batch workers. {@link OrtSession#run} is thread-safe, so workers
 * share it.
 */
final class ModelSession implements AutoCloseable {

  private final OrtEnvironment environment;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final ModelSignature signature;
  private final String provider;
  private final Map<String, String> metadata;

  private ModelSession(
      OrtEnvironment environment,
      OrtSession.SessionOptions options,
      OrtSession session,
      ModelSignature signature,
      String provider,
      Map<String, String> metadata) {
    this.environment = environment;
    this.options = options;
    this.session = session;
    this.signature = signature;
    this.provider = provider;
    this.metadata = metadata;
  }

  /**
   * Opens the model and checks its interface.
   *
   * @throws InferenceException with a message naming what is wrong (file, provider, shapes)
   */
  static ModelSession open(Path model, SessionSettings settings) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    OrtSession session = null;
    try {
      settings.applyThreading(options);
      String provider =
          new ProviderSelection(settings.provider(), settings.deviceId()).apply(options);
      session = environment.createSession(model.toString(), options);
      ModelSignature signature = signatureOf(session);
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      return new ModelSession(environment, options, session, signature, provider, metadata);
    } catch (OrtException | IllegalArgumentException e) {
      closeQuietly(session);
      options.close();
      throw new InferenceException("cannot load model " + model + ": " + e.getMessage(), e);
    }
  }

  private static ModelSignature signatureOf(OrtSession session) throws OrtException {
    if (session.getNumInputs() != 1 || session.getNumOutputs() < 1) {
      throw new IllegalArgumentException(
          "expected one image input and a class-score output, found inputs "
              + session.getInputNames()
              + " and outputs "
              + session.getOutputNames());
    }
    Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
    Map.Entry<String, NodeInfo> output = session.getOutputInfo().entrySet().iterator().next();
    return ModelSignature.detect(
        input.getKey(), floatTensorShape(input), output.getKey(), floatTensorShape(output));
  }

  private static long[] floatTensorShape(Map.Entry<String, NodeInfo> node) {
    if (!(node.getValue().getInfo() instanceof TensorInfo tensor)
        || tensor.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
      throw new IllegalArgumentException(
          "'" + node.getKey() + "' must be a float32 tensor, found " + node.getValue().getInfo());
    }
    return tensor.getShape();
  }

  ModelSignature signature() {
    return signature;
  }

  /** The execution provider in use: {@code CPU} or {@code CUDA}. */
  String provider() {
    return provider;
  }

  /** The model's {@code metadata_props}, as ONNX Runtime read them. */
  Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Runs one batch.
   *
   * @param input {@code batchSize} images back to back in the signature's layout, positioned at 0
   * @return one row of raw scores per image
   */
  float[][] run(FloatBuffer input, int batchSize) {
    return run(input, batchSize, null).scores();
  }

  /** Whether the model has a graph output of that name. */
  boolean hasOutput(String name) {
    return session.getOutputNames().contains(name);
  }

  /**
   * Runs one batch, fetching only the score output, and {@code featureOutput} when it is not null.
   * ONNX Runtime copies out exactly the outputs asked for, so a model's extra outputs cost nothing
   * unless requested.
   *
   * @param featureOutput a rank-4 float output to return per image, or null
   */
  BatchOutput run(FloatBuffer input, int batchSize, String featureOutput) {
    long[] shape =
        signature.layout() == dev.classifier.image.TensorLayout.NHWC
            ? new long[] {batchSize, signature.height(), signature.width(), 3}
            : new long[] {batchSize, 3, signature.height(), signature.width()};
    Set<String> outputs =
        featureOutput == null
            ? Set.of(signature.outputName())
            : Set.of(signature.outputName(), featureOutput);
    // Tensors and results own native memory the GC cannot see: close them on every path.
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, shape);
        OrtSession.Result result = session.run(Map.of(signature.inputName(), tensor), outputs)) {
      OnnxTensor scores = (OnnxTensor) result.get(signature.outputName()).orElseThrow();
      FloatBuffer values = scores.getFloatBuffer();
      int classes = signature.classes();
      if (values.remaining() != batchSize * classes) {
        throw new InferenceException(
            "model returned "
                + Arrays.toString(scores.getInfo().getShape())
                + " for a batch of "
                + batchSize,
            null);
      }
      float[][] rows = new float[batchSize][classes];
      for (float[] row : rows) {
        values.get(row);
      }
      FeatureMap[] features =
          featureOutput == null
              ? null
              : features((OnnxTensor) result.get(featureOutput).orElseThrow(), batchSize);
      return new BatchOutput(rows, features);
    } catch (OrtException e) {
      throw new InferenceException("inference failed: " + e.getMessage(), e);
    }
  }

  private static FeatureMap[] features(OnnxTensor tensor, int batchSize) {
    long[] dims = tensor.getInfo().getShape();
    FloatBuffer values = tensor.getFloatBuffer();
    if (dims.length < 2 || dims[0] != batchSize || values.remaining() % batchSize != 0) {
      throw new InferenceException(
          "feature output has shape " + Arrays.toString(dims) + " for a batch of " + batchSize,
          null);
    }
    int[] shape = new int[dims.length - 1];
    for (int i = 1; i < dims.length; i++) {
      shape[i - 1] = (int) dims[i];
    }
    int perImage = values.remaining() / batchSize;
    FeatureMap[] maps = new FeatureMap[batchSize];
    for (int n = 0; n < batchSize; n++) {
      float[] image = new float[perImage];
      values.get(image);
      maps[n] = new FeatureMap(image, shape);
    }
    return maps;
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
        // Closing at shutdown: nothing left to do with the error.
      }
    }
  }
}
