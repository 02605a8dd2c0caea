package dev.classifier.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model's ONNX Runtime session: created at start-up, checked against what the service needs,
 * and run by the batch workers through one runner each. {@link OrtSession#run} is thread-safe, so
 * workers share the session. An adaptive {@link ThreadBudget} on the CPU adds a second,
 * single-threaded session of the same file for calls that overlap ({@link AdaptiveRunner}); it
 * costs a second copy of the weights in memory.
 */
final class ModelSession implements AutoCloseable {

  private final OrtEnvironment environment;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final Single single;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ModelSignature signature;
  private final String provider;
  private final Map<String, String> metadata;

  private ModelSession(
      OrtEnvironment environment,
      OrtSession.SessionOptions options,
      OrtSession session,
      Single single,
      ModelSignature signature,
      String provider,
      Map<String, String> metadata) {
    this.environment = environment;
    this.options = options;
    this.session = session;
    this.single = single;
    this.signature = signature;
    this.provider = provider;
    this.metadata = metadata;
  }

  /**
   * Opens the model and checks its interface.
   *
   * @throws InferenceException with a message naming what is wrong (file, provider, shapes)
   */
  static ModelSession open(Path model, SessionSettings settings, Optional<String> featureOutput) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    OrtSession session = null;
    Single single = null;
    try {
      settings.applyThreading(options);
      String provider =
          new ProviderSelection(settings.provider(), settings.deviceId()).apply(options);
      session = environment.createSession(model.toString(), options);
      ModelSignature signature = signatureOf(session, featureOutput);
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      // On a GPU the intra-op threads only feed the device: there is nothing to adapt.
      if (settings.threads().adaptive() && provider.equals("CPU")) {
        single = Single.open(environment, model, settings);
      }
      return new ModelSession(environment, options, session, single, signature, provider, metadata);
    } catch (OrtException | IllegalArgumentException e) {
      closeQuietly(single);
      closeQuietly(session);
      options.close();
      throw new ModelLoadException(model, e.getMessage(), e);
    }
  }

  private static ModelSignature signatureOf(OrtSession session, Optional<String> featureOutput)
      throws OrtException {
    if (session.getNumInputs() != 1 || session.getNumOutputs() < 1) {
      throw new IllegalArgumentException(
          "expected one image input and a class-score output, found inputs "
              + session.getInputNames()
              + " and outputs "
              + session.getOutputNames());
    }
    Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
    Map<String, long[]> outputs = new LinkedHashMap<>();
    for (Map.Entry<String, NodeInfo> output : session.getOutputInfo().entrySet()) {
      outputs.put(output.getKey(), floatTensorShape(output));
    }
    return ModelSignature.detect(input.getKey(), floatTensorShape(input), outputs, featureOutput);
  }

  private static long[] floatTensorShape(Map.Entry<String, NodeInfo> node) {
    if (!(node.getValue().getInfo() instanceof TensorInfo tensor)
        || tensor.type != OnnxJavaType.FLOAT) {
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

  /** Whether overlapping calls run on a second, single-threaded session. */
  boolean adaptive() {
    return single != null;
  }

  /** A runner for one worker, for batches of up to {@code maxBatchSize} images. */
  BatchRunner runner(int maxBatchSize) {
    SessionRunner wide = new SessionRunner(environment, session, signature, maxBatchSize);
    if (single == null) {
      return wide;
    }
    return new AdaptiveRunner(
        wide, new SessionRunner(environment, single.session(), signature, maxBatchSize), inFlight);
  }

  @Override
  public void close() {
    closeQuietly(single);
    closeQuietly(session);
    options.close();
  }

  /** The single-threaded session of an adaptive budget, and the options it was made with. */
  private record Single(OrtSession.SessionOptions options, OrtSession session)
      implements AutoCloseable {

    static Single open(OrtEnvironment environment, Path model, SessionSettings settings)
        throws OrtException {
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      try {
        settings.applySingleThreaded(options);
        return new Single(options, environment.createSession(model.toString(), options));
      } catch (OrtException | RuntimeException e) {
        options.close();
        throw e;
      }
    }

    @Override
    public void close() {
      closeQuietly(session);
      options.close();
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception ignored) {
        // Closing at shutdown: nothing left to do with the error.
      }
    }
  }
}
