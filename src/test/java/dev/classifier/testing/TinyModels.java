package dev.classifier.testing;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tiny ONNX models whose output identifies their input, so tests can tell exactly which image a
 * response was computed from. Each model averages the red channel of its input, m = mean(x_red) in
 * [-1, 1], and scores class i by −1000·(g_i − m)² where g_i = −1 + 2i/(classes−1): the top class is
 * the one whose grid point is nearest to m, so a solid image of red value r has top-1 index round(r
 * / 255 · (classes − 1)).
 */
public final class TinyModels {

  /** The tensor layout of the tiny model's input. */
  public enum Layout {
    NHWC,
    NCHW
  }

  private TinyModels() {}

  /**
   * Writes the model to {@code file}.
   *
   * @param softmax whether the graph ends in a softmax (probabilities) or emits the raw scores
   *     (logits)
   * @param weightsSource written to metadata_props the way the real builder does
   */
  public static Path write(
      Path file, Layout layout, int size, int classes, boolean softmax, String weightsSource) {
    try {
      Files.write(file, build(layout, size, classes, softmax, weightsSource).toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The index the model ranks first for a solid image of red value {@code red} (0–255). */
  public static int expectedTop1(int red, int classes) {
    return Math.round(red / 255f * (classes - 1));
  }

  static ModelProto build(
      Layout layout, int size, int classes, boolean softmax, String weightsSource) {
    boolean nhwc = layout == Layout.NHWC;
    float[] grid = new float[classes];
    for (int i = 0; i < classes; i++) {
      grid[i] = -1f + 2f * i / (classes - 1);
    }
    GraphProto.Builder graph =
        GraphProto.newBuilder()
            .setName("tiny-red-mean")
            .addInput(
                valueInfo(
                    "input_1",
                    nhwc ? new long[] {-1, size, size, 3} : new long[] {-1, 3, size, size}))
            .addOutput(valueInfo("predictions", new long[] {-1, classes}))
            .addInitializer(floats("grid", new long[] {1, classes}, grid))
            .addInitializer(floats("scale", new long[] {}, new float[] {-1000f}))
            .addInitializer(longs("red", new long[] {}, 0))
            .addInitializer(longs("unsqueeze_axes", new long[] {1}, 1))
            .addNode(
                node("ReduceMean", new String[] {"input_1"}, "means")
                    .addAttribute(ints("axes", nhwc ? new long[] {1, 2} : new long[] {2, 3}))
                    .addAttribute(
                        AttributeProto.newBuilder()
                            .setName("keepdims")
                            .setType(AttributeProto.AttributeType.INT)
                            .setI(0)))
            .addNode(
                node("Gather", new String[] {"means", "red"}, "red_mean")
                    .addAttribute(
                        AttributeProto.newBuilder()
                            .setName("axis")
                            .setType(AttributeProto.AttributeType.INT)
                            .setI(1)))
            .addNode(node("Unsqueeze", new String[] {"red_mean", "unsqueeze_axes"}, "m"))
            .addNode(node("Sub", new String[] {"grid", "m"}, "diff"))
            .addNode(node("Mul", new String[] {"diff", "diff"}, "squared"))
            .addNode(
                node("Mul", new String[] {"squared", "scale"}, softmax ? "logits" : "predictions"));
    if (softmax) {
      graph.addNode(
          node("Softmax", new String[] {"logits"}, "predictions")
              .addAttribute(
                  AttributeProto.newBuilder()
                      .setName("axis")
                      .setType(AttributeProto.AttributeType.INT)
                      .setI(-1)));
    }
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("dev.classifier tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .addMetadataProps(
            OnnxMl.StringStringEntryProto.newBuilder()
                .setKey("weights_source")
                .setValue(weightsSource))
        .addMetadataProps(
            OnnxMl.StringStringEntryProto.newBuilder()
                .setKey("builder_version")
                .setValue("tiny-test"))
        .addMetadataProps(
            OnnxMl.StringStringEntryProto.newBuilder().setKey("preprocessing").setValue("tf"))
        .addMetadataProps(
            OnnxMl.StringStringEntryProto.newBuilder().setKey("precision").setValue("fp32"))
        .setGraph(graph)
        .build();
  }

  /**
   * Writes a tiny convolutional classifier with Xception's head: a 1x1 convolution to two feature
   * channels ({@code red + 1} and {@code blue + 1}, in [0, 2]), global average pooling, a dense
   * layer and a softmax. Its logits are {@code 2000·g_i·(m + 1) − 2000·g_i − 1000·g_i²} for the
   * mean red m, which differ from the other tiny models' {@code −1000·(g_i − m)²} by a term equal
   * for every class, so the softmax and the top class are the same ({@link #expectedTop1}). The
   * dense weights of the blue channel are zero: a class activation map follows the red channel
   * only.
   *
   * @param featureOutput whether the feature map {@code features} [N, 2, size, size] (NCHW) is a
   *     second graph output, as the Xception builder's {@code block14_sepconv2_act} is
   */
  public static Path writeCnn(
      Path file,
      Layout layout,
      int size,
      int classes,
      boolean featureOutput,
      String weightsSource) {
    try {
      Files.write(
          file, buildCnn(layout, size, classes, featureOutput, weightsSource).toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ModelProto buildCnn(
      Layout layout, int size, int classes, boolean featureOutput, String weightsSource) {
    boolean nhwc = layout == Layout.NHWC;
    float[] dense = new float[2 * classes];
    float[] bias = new float[classes];
    for (int i = 0; i < classes; i++) {
      float g = -1f + 2f * i / (classes - 1);
      dense[i] = 2000f * g; // row 0 of the [2, classes] kernel: the red feature
      bias[i] = -2000f * g - 1000f * g * g;
    }
    GraphProto.Builder graph =
        GraphProto.newBuilder()
            .setName("tiny-cnn-red-mean")
            .addInput(
                valueInfo(
                    "input_1",
                    nhwc ? new long[] {-1, size, size, 3} : new long[] {-1, 3, size, size}))
            .addOutput(valueInfo("predictions", new long[] {-1, classes}))
            // OIHW 1x1 kernel: feature 0 = red, feature 1 = blue, both shifted by +1 into [0, 2]
            .addInitializer(
                floats("conv_W", new long[] {2, 3, 1, 1}, new float[] {1, 0, 0, 0, 0, 1}))
            .addInitializer(floats("conv_B", new long[] {2}, new float[] {1, 1}))
            .addInitializer(floats("predictions_W", new long[] {2, classes}, dense))
            .addInitializer(floats("predictions_B", new long[] {classes}, bias));
    String x = "input_1";
    if (nhwc) {
      graph.addNode(
          node("Transpose", new String[] {x}, "nchw")
              .addAttribute(ints("perm", new long[] {0, 3, 1, 2})));
      x = "nchw";
    }
    graph
        .addNode(
            node("Conv", new String[] {x, "conv_W", "conv_B"}, "features")
                .addAttribute(ints("kernel_shape", new long[] {1, 1})))
        .addNode(node("GlobalAveragePool", new String[] {"features"}, "pooled"))
        .addNode(
            node("Flatten", new String[] {"pooled"}, "flat")
                .addAttribute(
                    AttributeProto.newBuilder()
                        .setName("axis")
                        .setType(AttributeProto.AttributeType.INT)
                        .setI(1)))
        .addNode(node("Gemm", new String[] {"flat", "predictions_W", "predictions_B"}, "logits"))
        .addNode(
            node("Softmax", new String[] {"logits"}, "predictions")
                .addAttribute(
                    AttributeProto.newBuilder()
                        .setName("axis")
                        .setType(AttributeProto.AttributeType.INT)
                        .setI(1)));
    if (featureOutput) {
      graph.addOutput(valueInfo("features", new long[] {-1, 2, size, size}));
    }
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("dev.classifier tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .addMetadataProps(
            OnnxMl.StringStringEntryProto.newBuilder()
                .setKey("weights_source")
                .setValue(weightsSource))
        .addMetadataProps(
            OnnxMl.StringStringEntryProto.newBuilder()
                .setKey("builder_version")
                .setValue("tiny-test"))
        .addMetadataProps(
            OnnxMl.StringStringEntryProto.newBuilder().setKey("preprocessing").setValue("tf"))
        .addMetadataProps(
            OnnxMl.StringStringEntryProto.newBuilder().setKey("precision").setValue("fp32"))
        .setGraph(graph)
        .build();
  }

  private static NodeProto.Builder node(String op, String[] inputs, String output) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    return node;
  }

  private static AttributeProto ints(String name, long[] values) {
    AttributeProto.Builder attribute =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      attribute.addInts(v);
    }
    return attribute.build();
  }

  private static TensorProto floats(String name, long[] dims, float[] values) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) {
      tensor.addDims(d);
    }
    for (float v : values) {
      tensor.addFloatData(v);
    }
    return tensor.build();
  }

  private static TensorProto longs(String name, long[] dims, long value) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber());
    for (long d : dims) {
      tensor.addDims(d);
    }
    return tensor.addInt64Data(value).build();
  }

  private static ValueInfoProto valueInfo(String name, long[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(
          d < 0
              ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
              : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
        .build();
  }
}
