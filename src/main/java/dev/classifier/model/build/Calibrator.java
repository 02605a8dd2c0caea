package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs the float model in ONNX Runtime over calibration images, one image at a time, with every
 * tensor to be quantized added as an extra graph output, and adds each tensor's values to its
 * {@link ActivationHistogram}. Memory stays bounded by one image's activations (about 120 MB for
 * Xception) however many images there are.
 */
final class Calibrator {

  /** The float image input calibration feeds: [N, H, W, 3] or [N, 3, H, W]. */
  record ImageInput(String name, TensorLayout layout, int width, int height) {

    long[] shape() {
      return layout == TensorLayout.NHWC
          ? new long[] {1, height, width, 3}
          : new long[] {1, 3, height, width};
    }
  }

  /**
   * @param histograms one per recorded tensor, in the order asked for
   * @param images how many images were run
   */
  record Calibration(Map<String, ActivationHistogram> histograms, int images) {}

  private Calibrator() {}

  /**
   * @param tensors the tensors to record ({@link QdqPlan#calibrated()})
   * @throws IllegalArgumentException when the model has no single float image input, or no image
   *     could be used
   */
  /** The scaling the model records; tf for files from before the key existed. */
  static Normalization scaling(ModelProto model) {
    return model.getMetadataPropsList().stream()
        .filter(e -> e.getKey().equals(dev.classifier.model.ModelMetadata.PREPROCESSING))
        .map(e -> Normalization.of(e.getValue()))
        .findFirst()
        .orElse(Normalization.TF);
  }

  static Calibration record(
      ModelProto model,
      List<String> tensors,
      CalibrationImages images,
      OrtRuntime runtime,
      Consumer<String> progress) {
    ImageInput input = imageInput(model.getGraph());
    Map<String, ActivationHistogram> histograms = new LinkedHashMap<>();
    tensors.forEach(t -> histograms.put(t, new ActivationHistogram()));
    Set<String> requested = new HashSet<>(tensors);
    requested.remove(input.name());
    // through a temporary file rather than a byte array: the float model's bytes (91 MB for
    // Xception) never sit on the heap next to the model itself
    Path file = temporaryCopy(withOutputs(model, requested));
    try (OrtSession.SessionOptions options = runtime.sessionOptions();
        OrtSession session = runtime.environment().createSession(file.toString(), options)) {
      int[] done = {0};
      int used =
          images.forEach(
              // Calibration quantizes this project's own Xception graphs: fed the scaling the
              // builder recorded (tf, or raw for a model with its own preprocessing layers).
              new InputSpec(input.width(), input.height(), input.layout(), scaling(model)),
              pixels -> {
                run(session, runtime, input, pixels, requested, histograms);
                if (++done[0] % 8 == 0) {
                  progress.accept("  calibrated on " + done[0] + " images");
                }
              });
      if (used == 0) {
        throw new IllegalArgumentException("no usable calibration image");
      }
      return new Calibration(histograms, used);
    } catch (OrtException e) {
      throw new IllegalStateException("calibration run failed: " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        progress.accept("could not delete the temporary file " + file + ": " + e.getMessage());
      }
    }
  }

  private static Path temporaryCopy(ModelProto model) {
    try {
      Path file = Files.createTempFile("calibration-", ".onnx");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
        model.writeTo(out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(file);
        throw e;
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the calibration model to a temporary file", e);
    }
  }

  private static void run(
      OrtSession session,
      OrtRuntime runtime,
      ImageInput input,
      float[] pixels,
      Set<String> requested,
      Map<String, ActivationHistogram> histograms) {
    ActivationHistogram ofInput = histograms.get(input.name());
    if (ofInput != null) {
      ofInput.add(pixels, pixels.length);
    }
    // Tensors and results hold native memory the GC does not see: closed on every path.
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(
                runtime.environment(), FloatBuffer.wrap(pixels), input.shape());
        OrtSession.Result result = session.run(Map.of(input.name(), tensor), requested)) {
      for (Map.Entry<String, OnnxValue> output : result) {
        FloatBuffer values = ((OnnxTensor) output.getValue()).getFloatBuffer();
        try {
          histograms.get(output.getKey()).add(values.array(), values.remaining());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(output.getKey() + ": " + e.getMessage(), e);
        }
      }
    } catch (OrtException e) {
      throw new IllegalStateException("calibration run failed: " + e.getMessage(), e);
    }
  }

  /** The model with {@code tensors} added as float graph outputs (shapes left to inference). */
  static ModelProto withOutputs(ModelProto model, Set<String> tensors) {
    GraphProto graph = model.getGraph();
    Set<String> present = new HashSet<>();
    graph.getOutputList().forEach(o -> present.add(o.getName()));
    GraphProto.Builder g = graph.toBuilder();
    for (String t : tensors) {
      if (present.add(t)) {
        g.addOutput(
            ValueInfoProto.newBuilder()
                .setName(t)
                .setType(
                    TypeProto.newBuilder()
                        .setTensorType(
                            TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT_VALUE))));
      }
    }
    return model.toBuilder().setGraph(g).build();
  }

  static ImageInput imageInput(GraphProto graph) {
    Set<String> initializers = new HashSet<>();
    graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
    List<ValueInfoProto> inputs =
        graph.getInputList().stream().filter(i -> !initializers.contains(i.getName())).toList();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "calibration needs a model with one image input, this one has "
              + inputs.stream().map(ValueInfoProto::getName).toList());
    }
    ValueInfoProto in = inputs.get(0);
    TypeProto.Tensor type = in.getType().getTensorType();
    List<TensorShapeProto.Dimension> dims = type.getShape().getDimList();
    long[] d = dims.stream().mapToLong(x -> x.hasDimValue() ? x.getDimValue() : -1).toArray();
    if (type.getElemType() == TensorProto.DataType.FLOAT_VALUE && d.length == 4) {
      if (d[3] == 3 && d[1] > 0 && d[2] > 0) {
        return new ImageInput(in.getName(), TensorLayout.NHWC, (int) d[2], (int) d[1]);
      }
      if (d[1] == 3 && d[2] > 0 && d[3] > 0) {
        return new ImageInput(in.getName(), TensorLayout.NCHW, (int) d[3], (int) d[2]);
      }
    }
    throw new IllegalArgumentException(
        "calibration needs a float image input [N,H,W,3] or [N,3,H,W]; '"
            + in.getName()
            + "' is "
            + java.util.Arrays.toString(d));
  }
}
