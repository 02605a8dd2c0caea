package dev.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import dev.classifier.model.ClassifierHead.FeatureLayout;
import dev.classifier.testing.TinyModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head search on the tiny models and on variants of the tiny CNN's head that other exporters
 * and the INT8 quantizer write: transposed and scaled Gemms, Reshape instead of Flatten, int8
 * weights through DequantizeLinear, Q/DQ pairs on the activations.
 */
class ClassifierHeadReaderTest {

  private static final int CLASSES = 5;

  @TempDir Path dir;

  /** The tiny CNN's dense kernel row for the red channel, and its bias (see TinyModels). */
  private static float red(int c) {
    return 2000f * grid(c);
  }

  private static float bias(int c) {
    float g = grid(c);
    return -2000f * g - 1000f * g * g;
  }

  private static float grid(int c) {
    return -1f + 2f * c / (CLASSES - 1);
  }

  @Test
  void theRedMeanModelHasNoDenseHead() {
    Path model =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 8, CLASSES, true, "synthetic:7");

    HeadLookup lookup = ClassifierHeadReader.read(model);

    assertThat(lookup.supported()).isFalse();
    assertThat(lookup.unsupportedReason())
        .contains(
            "the score output 'predictions' is not computed by a Gemm (optionally followed by a"
                + " Softmax) but by a Mul node");
  }

  @Test
  void theCnnWithoutItsFeatureOutputCannotBeExplained() {
    Path model = cnn(false, TinyModels.Layout.NHWC);

    HeadLookup lookup = ClassifierHeadReader.read(model);

    assertThat(lookup.supported()).isFalse();
    assertThat(lookup.unsupportedReason())
        .contains(
            "the feature map 'features' that feeds GlobalAveragePool is not a graph output"
                + " (rebuild the model with build-model to add it)");
  }

  @Test
  void theCnnWithItsFeatureOutputHasItsExactHeadInEitherInputLayout() {
    for (TinyModels.Layout layout : TinyModels.Layout.values()) {
      ClassifierHead head = ClassifierHeadReader.read(cnn(true, layout)).head().orElseThrow();

      assertThat(head.featureOutput()).isEqualTo("features");
      assertThat(head.layout()).isEqualTo(FeatureLayout.NCHW);
      assertThat(head.channels()).isEqualTo(2);
      assertThat(head.classes()).isEqualTo(CLASSES);
      for (int c = 0; c < CLASSES; c++) {
        assertThat(head.weight(0, c)).isEqualTo(red(c));
        assertThat(head.weight(1, c)).isEqualTo(0f);
        assertThat(head.bias()[c]).isEqualTo(bias(c));
      }
    }
  }

  @Test
  void transBAlphaAndBetaAreApplied() throws IOException {
    ModelProto.Builder model = cnnProto(true);
    GraphProto.Builder graph = model.getGraphBuilder();
    float[] transposed = new float[CLASSES * 2];
    for (int c = 0; c < CLASSES; c++) {
      transposed[c * 2] = red(c);
    }
    replaceInitializer(graph, floats("predictions_W", new long[] {CLASSES, 2}, transposed));
    NodeProto.Builder gemm = node(graph, "Gemm");
    gemm.addAttribute(integer("transB", 1));
    gemm.addAttribute(real("alpha", 0.5f));
    gemm.addAttribute(real("beta", 2f));

    ClassifierHead head = ClassifierHeadReader.read(write(model)).head().orElseThrow();

    for (int c = 0; c < CLASSES; c++) {
      assertThat(head.weight(0, c)).isEqualTo(0.5f * red(c));
      assertThat(head.weight(1, c)).isEqualTo(0f);
      assertThat(head.bias()[c]).isEqualTo(2f * bias(c));
    }
  }

  @Test
  void aSigmoidOverTheDenseLayerKeepsTheHead() throws IOException {
    ModelProto.Builder model = cnnProto(true);
    node(model.getGraphBuilder(), "Softmax").setOpType("Sigmoid").clearAttribute();

    ClassifierHead head = ClassifierHeadReader.read(write(model)).head().orElseThrow();

    assertThat(head.weight(0, 3)).isEqualTo(red(3));
    assertThat(head.bias()[3]).isEqualTo(bias(3));
  }

  @Test
  void aReshapeToTwoDimensionsDoesWhatFlattenDoes() throws IOException {
    ModelProto.Builder model = cnnProto(true);
    GraphProto.Builder graph = model.getGraphBuilder();
    NodeProto.Builder flatten = node(graph, "Flatten");
    flatten.setOpType("Reshape").clearAttribute().addInput("flat_shape");
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName("flat_shape")
            .setDataType(TensorProto.DataType.INT64_VALUE)
            .addDims(2)
            .addInt64Data(-1)
            .addInt64Data(2));

    assertThat(ClassifierHeadReader.read(write(model)).head().orElseThrow().weight(0, 4))
        .isEqualTo(red(4));
  }

  /**
   * What the INT8 quantizer writes: per-column int8 weights with zero points, an int32 bias, and
   * Q/DQ pairs on the feature map and on the pooled vector. The graph is checked to load in ONNX
   * Runtime, so the head is read from a graph that really runs.
   */
  @Test
  void int8WeightsThroughDequantizeLinearAndQdqActivationsAreRead() throws Exception {
    ModelProto.Builder model = cnnProto(true);
    GraphProto.Builder graph = model.getGraphBuilder();
    byte[] q = new byte[2 * CLASSES];
    float[] scale = new float[CLASSES];
    byte[] zero = new byte[CLASSES];
    for (int c = 0; c < CLASSES; c++) {
      q[c] = (byte) (20 * c - 50); // row 0: the red channel
      q[CLASSES + c] = (byte) (c - 2); // row 1: the blue channel
      scale[c] = 0.25f * (c + 1);
      zero[c] = (byte) (c - 2);
    }
    removeInitializer(graph, "predictions_W");
    removeInitializer(graph, "predictions_B");
    graph.addInitializer(raw("W_q", TensorProto.DataType.INT8_VALUE, new long[] {2, CLASSES}, q));
    graph.addInitializer(floats("W_scale", new long[] {CLASSES}, scale));
    graph.addInitializer(
        raw("W_zero", TensorProto.DataType.INT8_VALUE, new long[] {CLASSES}, zero));
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName("B_q")
            .setDataType(TensorProto.DataType.INT32_VALUE)
            .addDims(CLASSES)
            .addInt32Data(-7)
            .addInt32Data(0)
            .addInt32Data(3)
            .addInt32Data(100)
            .addInt32Data(-100000));
    graph.addInitializer(floats("B_scale", new long[] {}, new float[] {0.125f}));
    graph.addInitializer(floats("act_scale", new long[] {}, new float[] {0.01f}));
    graph.addInitializer(
        raw("act_zero", TensorProto.DataType.UINT8_VALUE, new long[] {}, new byte[1]));
    graph.addNode(
        plain("DequantizeLinear", "predictions_W", "W_q", "W_scale", "W_zero")
            .addAttribute(integer("axis", 1)));
    graph.addNode(plain("DequantizeLinear", "predictions_B", "B_q", "B_scale"));
    // features -> Q -> DQ -> GlobalAveragePool, and pooled -> Q -> DQ -> Flatten
    node(graph, "GlobalAveragePool").setInput(0, "features_dq");
    graph.addNode(plain("QuantizeLinear", "features_q", "features", "act_scale", "act_zero"));
    graph.addNode(plain("DequantizeLinear", "features_dq", "features_q", "act_scale", "act_zero"));
    node(graph, "Flatten").setInput(0, "pooled_dq");
    graph.addNode(plain("QuantizeLinear", "pooled_q", "pooled", "act_scale", "act_zero"));
    graph.addNode(plain("DequantizeLinear", "pooled_dq", "pooled_q", "act_scale", "act_zero"));
    Path file = write(model);
    try (OrtSession session =
        OrtEnvironment.getEnvironment()
            .createSession(file.toString(), new OrtSession.SessionOptions())) {
      assertThat(session.getOutputNames()).containsExactly("predictions", "features");
    }

    ClassifierHead head = ClassifierHeadReader.read(file).head().orElseThrow();

    assertThat(head.featureOutput()).isEqualTo("features");
    assertThat(head.channels()).isEqualTo(2);
    for (int c = 0; c < CLASSES; c++) {
      assertThat(head.weight(0, c)).isEqualTo((q[c] - zero[c]) * scale[c]);
      assertThat(head.weight(1, c)).isEqualTo((q[CLASSES + c] - zero[c]) * scale[c]);
    }
    assertThat(head.bias()).containsExactly(-0.875f, 0f, 0.375f, 12.5f, -12500f);
  }

  @Test
  void aHeadWhoseWeightsAreComputedIsUnsupported() throws IOException {
    ModelProto.Builder model = cnnProto(true);
    GraphProto.Builder graph = model.getGraphBuilder();
    removeInitializer(graph, "predictions_W");
    graph.addInput(graph.getInput(0).toBuilder().setName("predictions_W"));

    HeadLookup lookup = ClassifierHeadReader.read(write(model));

    assertThat(lookup.unsupportedReason())
        .contains(
            "the dense weights 'predictions_W' are not an initializer but a graph input or"
                + " constant");
  }

  @Test
  void aFileThatIsNoModelIsUnsupportedWithTheReason() throws IOException {
    Path file = Files.write(dir.resolve("text.onnx"), "not a model".getBytes());

    HeadLookup lookup = ClassifierHeadReader.read(file);

    assertThat(lookup.supported()).isFalse();
    assertThat(lookup.unsupportedReason().orElseThrow()).startsWith("cannot read the graph of ");
  }

  private Path cnn(boolean featureOutput, TinyModels.Layout layout) {
    return TinyModels.writeCnn(
        dir.resolve("cnn-" + featureOutput + "-" + layout + ".onnx"),
        layout,
        8,
        CLASSES,
        featureOutput,
        "synthetic:7");
  }

  private ModelProto.Builder cnnProto(boolean featureOutput) throws IOException {
    return ModelProto.parseFrom(Files.readAllBytes(cnn(featureOutput, TinyModels.Layout.NCHW)))
        .toBuilder();
  }

  /** Writes the variant with its nodes in topological order, as ONNX requires. */
  private Path write(ModelProto.Builder model) throws IOException {
    GraphProto.Builder graph = model.getGraphBuilder();
    java.util.List<NodeProto> pending = new java.util.ArrayList<>(graph.getNodeList());
    java.util.Set<String> known = new java.util.HashSet<>();
    graph.getInputList().forEach(input -> known.add(input.getName()));
    graph.getInitializerList().forEach(init -> known.add(init.getName()));
    graph.clearNode();
    while (!pending.isEmpty()) {
      NodeProto ready =
          pending.stream()
              .filter(n -> n.getInputList().stream().allMatch(known::contains))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("a cycle or a missing input"));
      pending.remove(ready);
      graph.addNode(ready);
      known.addAll(ready.getOutputList());
    }
    Path file = Files.createTempFile(dir, "variant", ".onnx");
    Files.write(file, model.build().toByteArray());
    return file;
  }

  private static NodeProto.Builder node(GraphProto.Builder graph, String op) {
    for (NodeProto.Builder node : graph.getNodeBuilderList()) {
      if (node.getOpType().equals(op)) {
        return node;
      }
    }
    throw new IllegalArgumentException("no " + op);
  }

  private static NodeProto.Builder plain(String op, String output, String... inputs) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    return node;
  }

  private static void replaceInitializer(GraphProto.Builder graph, TensorProto tensor) {
    removeInitializer(graph, tensor.getName());
    graph.addInitializer(tensor);
  }

  private static void removeInitializer(GraphProto.Builder graph, String name) {
    for (int i = 0; i < graph.getInitializerCount(); i++) {
      if (graph.getInitializer(i).getName().equals(name)) {
        graph.removeInitializer(i);
        return;
      }
    }
    throw new IllegalArgumentException("no initializer " + name);
  }

  private static TensorProto floats(String name, long[] dims, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return raw(name, TensorProto.DataType.FLOAT_VALUE, dims, bytes.array());
  }

  private static TensorProto raw(String name, int type, long[] dims, byte[] data) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(type)
            .setRawData(ByteString.copyFrom(data));
    for (long d : dims) {
      tensor.addDims(d);
    }
    return tensor.build();
  }

  private static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  private static AttributeProto real(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }
}
