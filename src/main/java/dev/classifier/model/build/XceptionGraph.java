package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.classifier.model.ModelMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds keras.applications.Xception as an ONNX model with the interface of a tf2onnx export: NHWC
 * float input {@code input_1} [N,299,299,3], softmax probabilities {@code predictions} [N,1000].
 * Internally NCHW (one transpose at the start), batch norm folded into the convolutions, TensorFlow
 * 'same' pooling reproduced with explicit asymmetric pads.
 *
 * <p>A second output, {@code block14_sepconv2_act} [N,2048,10,10] float in NCHW order (channel,
 * then row, then column), is the post-ReLU feature map that feeds GlobalAveragePool and the dense
 * layer: with the dense weights it gives exact class activation maps. ONNX Runtime copies it out
 * only when a caller asks for it by name, so classification alone does not pay for it.
 */
final class XceptionGraph {

  static final String INPUT = "input_1";
  static final String OUTPUT = "predictions";

  /** The last feature map, as Keras names the layer: [N,2048,10,10] float, NCHW, after the ReLU. */
  static final String FEATURE_OUTPUT = "block14_sepconv2_act";

  /** 2: the feature output was added; version-1 files have only {@code predictions}. */
  static final String BUILDER_VERSION = "xception-onnx-builder/2";

  static final int OPSET = 13;
  private static final long IR_VERSION = 8;

  /**
   * @param spatialSizes every distinct feature-map edge length, in order (299, 149, 147, 74, 37,
   *     19, 10)
   */
  record Built(ModelProto model, List<Integer> spatialSizes) {}

  /** A dense layer of the head: Keras kernel {@code (in, units)}, bias, activation name. */
  record Dense(WeightTensor kernel, WeightTensor bias, String activation) {}

  /**
   * Everything around the Xception layers.
   *
   * @param inputSize the square input's edge (299 for ImageNet's Xception)
   * @param scale per-channel {@code x * scale + offset} applied to the NHWC input, null for none
   * @param maxPooling GlobalMaxPool instead of GlobalAveragePool after the last feature map
   * @param dense the head's dense layers, the last giving the scores: softmax for several linear or
   *     softmax units, sigmoid for several sigmoid units, and for a single unit (a two-class model)
   *     the two-way softmax over {@code [0, z]}, which is {@code [1 - sigmoid(z), sigmoid(z)]}
   * @param preprocessing the pixel scaling the service must apply, recorded in the metadata
   */
  record Top(
      int inputSize,
      double[] scale,
      double[] offset,
      boolean maxPooling,
      List<Dense> dense,
      String preprocessing) {}

  private final XceptionWeights weights;
  private final Top top;
  private final OnnxGraphWriter g = new OnnxGraphWriter("xception");
  private final List<Integer> sizes = new ArrayList<>();
  private int size;

  private XceptionGraph(XceptionWeights weights, Top top) {
    this.weights = weights;
    this.top = top;
    this.size = top.inputSize();
    sizes.add(size);
  }

  /**
   * ImageNet's Xception: 299 × 299, "tf" scaling, the 1000-class softmax layer {@code predictions}.
   */
  static Built build(XceptionWeights weights, String weightsSource) {
    Top imagenet =
        new Top(
            XceptionSpec.INPUT_SIZE,
            null,
            null,
            false,
            List.of(
                new Dense(
                    weights.get("predictions", "kernel"),
                    weights.get("predictions", "bias"),
                    "softmax")),
            "tf");
    return build(weights, imagenet, Map.of(ModelMetadata.WEIGHTS_SOURCE, weightsSource));
  }

  /**
   * @param metadata entries recorded besides the builder version and the preprocessing
   */
  static Built build(XceptionWeights weights, Top top, Map<String, String> metadata) {
    XceptionGraph x = new XceptionGraph(weights, top);
    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setProducerName("xception-classifier")
            .setProducerVersion(BUILDER_VERSION)
            .setGraph(x.graph());
    Map<String, String> all = new LinkedHashMap<>(metadata);
    all.put(ModelMetadata.BUILDER_VERSION, BUILDER_VERSION);
    all.put(ModelMetadata.PREPROCESSING, top.preprocessing());
    all.forEach((k, v) -> model.addMetadataProps(entry(k, v)));
    return new Built(model.build(), List.copyOf(x.sizes));
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  private ai.onnx.proto.OnnxMl.GraphProto graph() {
    long n = -1;
    g.input(INPUT, n, top.inputSize(), top.inputSize(), 3);
    String x = INPUT;
    if (top.scale() != null) {
      // the model's own Rescaling / Normalization layers, per channel on the NHWC input
      String scale = g.initializer("preprocess_scale", new long[] {3}, floats(top.scale()));
      String offset = g.initializer("preprocess_offset", new long[] {3}, floats(top.offset()));
      x = g.node("Mul", "preprocess_scaled", new String[] {x, scale});
      x = g.node("Add", "preprocess", new String[] {x, offset});
    }
    x = g.node("Transpose", "nchw", new String[] {x}, OnnxGraphWriter.ints("perm", 0, 3, 1, 2));

    x = relu(conv(x, "block1_conv1", "block1_conv1_bn", 2));
    x = relu(conv(x, "block1_conv2", "block1_conv2_bn", 1));

    for (int block = 2; block <= 4; block++) {
      String p = "block" + block;
      String residual = conv(x, p + "_shortcut", p + "_shortcut_bn", 2);
      if (block > 2) {
        x = relu(x);
      }
      x = separable(x, p + "_sepconv1");
      x = separable(relu(x), p + "_sepconv2");
      x = add(maxPool(x), residual);
    }
    for (int block = 5; block <= 12; block++) {
      String residual = x;
      for (int i = 1; i <= 3; i++) {
        x = separable(relu(x), "block" + block + "_sepconv" + i);
      }
      x = add(x, residual);
    }
    String residual = conv(x, "block13_shortcut", "block13_shortcut_bn", 2);
    x = separable(relu(x), "block13_sepconv1");
    x = separable(relu(x), "block13_sepconv2");
    x = add(maxPool(x), residual);
    x = relu(separable(x, "block14_sepconv1"));
    String features =
        g.namedNode("Relu", FEATURE_OUTPUT, new String[] {separable(x, "block14_sepconv2")});

    int classes = DenseHead.write(g, features, top.maxPooling(), top.dense(), OUTPUT);
    g.output(OUTPUT, n, classes);
    // Second, so every reader that takes the first output as the scores is unaffected.
    g.output(FEATURE_OUTPUT, n, XceptionSpec.FEATURES, size, size);
    return g.build();
  }

  private static float[] floats(double[] values) {
    return KerasLayouts.toFloats(values);
  }

  /**
   * Plain convolution + folded batch norm; 3x3 kernels are 'valid', 1x1 shortcuts need no padding
   * either.
   */
  private String conv(String x, String convLayer, String bnLayer, int stride) {
    WeightTensor kernel = weights.get(convLayer, "kernel");
    int[] s = kernel.shape();
    KerasLayouts.Affine bn = KerasLayouts.batchNorm(weights, bnLayer);
    String w =
        g.initializer(
            convLayer + "_W",
            new long[] {s[3], s[2], s[0], s[1]},
            KerasLayouts.scaleOutputChannels(KerasLayouts.hwioToOihw(kernel), bn.scale()));
    String b =
        g.initializer(convLayer + "_B", new long[] {s[3]}, KerasLayouts.toFloats(bn.shift()));
    // the 1x1/2 'same' shortcuts never pad here (every input size is odd or the pad would be
    // negative), so
    // ONNX's unpadded output ceil(size / 2) matches; they run beside the main path and do not move
    // it
    if (!convLayer.endsWith("_shortcut")) {
      resize((size - s[0]) / stride + 1);
    }
    return g.node(
        "Conv",
        convLayer,
        new String[] {x, w, b},
        OnnxGraphWriter.ints("kernel_shape", s[0], s[1]),
        OnnxGraphWriter.ints("strides", stride, stride));
  }

  /**
   * Depthwise 3x3 'same' (group = channels) then pointwise 1x1 with the following batch norm folded
   * in.
   */
  private String separable(String x, String layer) {
    WeightTensor depthwise = weights.get(layer, "depthwise_kernel");
    WeightTensor pointwise = weights.get(layer, "pointwise_kernel");
    int in = pointwise.shape()[2];
    int out = pointwise.shape()[3];
    String dw =
        g.initializer(
            layer + "_depthwise_W",
            new long[] {in, 1, 3, 3},
            KerasLayouts.depthwiseToGroupConv(depthwise));
    x =
        g.node(
            "Conv",
            layer + "_depthwise",
            new String[] {x, dw},
            OnnxGraphWriter.ints("kernel_shape", 3, 3),
            OnnxGraphWriter.ints("pads", 1, 1, 1, 1),
            OnnxGraphWriter.integer("group", in));
    KerasLayouts.Affine bn = KerasLayouts.batchNorm(weights, layer + "_bn");
    String pw =
        g.initializer(
            layer + "_pointwise_W",
            new long[] {out, in, 1, 1},
            KerasLayouts.scaleOutputChannels(KerasLayouts.hwioToOihw(pointwise), bn.scale()));
    String b =
        g.initializer(layer + "_pointwise_B", new long[] {out}, KerasLayouts.toFloats(bn.shift()));
    return g.node(
        "Conv",
        layer + "_pointwise",
        new String[] {x, pw, b},
        OnnxGraphWriter.ints("kernel_shape", 1, 1));
  }

  /**
   * 3x3/2 max pool with TensorFlow 'same' padding: the odd pixel of padding goes after (74 -> 37
   * pads 0,1).
   */
  private String maxPool(String x) {
    int out = (size + 1) / 2;
    int total = Math.max((out - 1) * 2 + 3 - size, 0);
    int before = total / 2;
    int after = total - before;
    resize(out);
    return g.node(
        "MaxPool",
        "pool",
        new String[] {x},
        OnnxGraphWriter.ints("kernel_shape", 3, 3),
        OnnxGraphWriter.ints("strides", 2, 2),
        OnnxGraphWriter.ints("pads", before, before, after, after));
  }

  private String relu(String x) {
    return g.node("Relu", "relu", new String[] {x});
  }

  private String add(String a, String b) {
    return g.node("Add", "add", new String[] {a, b});
  }

  private void resize(int newSize) {
    size = newSize;
    if (sizes.get(sizes.size() - 1) != newSize) {
      sizes.add(newSize);
    }
  }
}
