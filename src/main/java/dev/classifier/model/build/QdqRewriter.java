package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.classifier.model.build.QuantizationMath.ActivationParams;
import dev.classifier.model.build.QuantizationMath.ChannelWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the QDQ form of a float graph as {@link QdqPlan} decided it: each quantized tensor gets
 * one QuantizeLinear after its writer and one DequantizeLinear per reader (ONNX Runtime fuses a
 * node group only when the DequantizeLinear it reads is its own), each Conv and Gemm reads
 * DequantizeLinear'd int8 weights and int32 biases, and a graph output written by a quantized node
 * becomes the DequantizeLinear of its quantized tensor, so the graph's interface stays float.
 */
final class QdqRewriter {

  private final QdqPlan plan;
  private final Map<String, ActivationParams> params;
  private final Set<String> names = new HashSet<>();
  private final List<NodeProto> nodes = new ArrayList<>();
  private final Map<String, TensorProto> initializers = new LinkedHashMap<>();

  /** (tensor, reading node) to the DequantizeLinear output that node reads instead. */
  private final Map<String, Map<Integer, String>> dequantized = new HashMap<>();

  /** Quantized tensor to its scale and zero-point initializers. */
  private final Map<String, String[]> activationInitializers = new HashMap<>();

  private QdqRewriter(QdqPlan plan, Map<String, ActivationParams> params) {
    this.plan = plan;
    this.params = params;
    GraphProto graph = plan.graph();
    for (TensorProto t : graph.getInitializerList()) {
      names.add(t.getName());
      initializers.put(t.getName(), t);
    }
    graph.getInputList().forEach(v -> names.add(v.getName()));
    for (NodeProto node : graph.getNodeList()) {
      names.addAll(node.getInputList());
      names.addAll(node.getOutputList());
      names.add(node.getName());
    }
  }

  /**
   * @param params scale and zero point of every tensor in {@link QdqPlan#calibrated()}
   */
  static ModelProto rewrite(ModelProto model, QdqPlan plan, Map<String, ActivationParams> params) {
    for (String t : plan.calibrated()) {
      if (!params.containsKey(t)) {
        throw new IllegalArgumentException("no calibrated range for " + t);
      }
    }
    return new QdqRewriter(plan, params).write(model);
  }

  private ModelProto write(ModelProto model) {
    GraphProto graph = plan.graph();
    for (String tensor : plan.quantizedTensors()) {
      if (plan.index().isGraphInput(tensor)) {
        quantize(tensor, tensor);
      }
    }
    for (int n = 0; n < graph.getNodeCount(); n++) {
      NodeProto node = graph.getNode(n);
      NodeProto.Builder out = node.toBuilder().clearInput().clearOutput();
      for (String input : node.getInputList()) {
        out.addInput(readerInput(input, n));
      }
      QdqPlan.Role role = plan.role(n);
      if (role == QdqPlan.Role.CONV) {
        quantizeWeights(node, out, 0);
      } else if (role == QdqPlan.Role.GEMM) {
        quantizeWeights(node, out, QdqPlan.intAttribute(node, "transB", 0) != 0 ? 0 : 1);
        explicitGemmScalars(node, out);
      }
      // a graph output written by a quantized node is written under another name, so that the
      // node's every reader is a QuantizeLinear and the graph output is its DequantizeLinear
      Map<String, String> written = new LinkedHashMap<>();
      for (String output : node.getOutputList()) {
        boolean rename =
            plan.isQuantized(output)
                && plan.index().isGraphOutput(output)
                && plan.producedByQuantizedNode(output);
        String name = rename ? unique(output + "_prequant") : output;
        out.addOutput(name);
        if (plan.isQuantized(output)) {
          written.put(output, name);
        }
      }
      nodes.add(out.build());
      written.forEach(this::quantize);
    }
    Set<String> used = new HashSet<>();
    nodes.forEach(node -> used.addAll(node.getInputList()));
    graph.getInputList().forEach(v -> used.add(v.getName()));
    GraphProto.Builder g =
        graph.toBuilder().clearNode().addAllNode(nodes).clearInitializer().clearValueInfo();
    for (TensorProto t : initializers.values()) {
      if (used.contains(t.getName())) {
        g.addInitializer(t);
      }
    }
    // value_info of the float graph may describe tensors that now have other writers; ONNX
    // Runtime infers every shape again
    return model.toBuilder().setGraph(g).build();
  }

  /** What node {@code n} reads in place of {@code tensor}. */
  private String readerInput(String tensor, int n) {
    Map<Integer, String> byReader = dequantized.get(tensor);
    if (byReader != null && byReader.containsKey(n)) {
      return byReader.get(n);
    }
    return tensor;
  }

  /**
   * QuantizeLinear of {@code written} (the tensor's writer output), then a DequantizeLinear for
   * each reader that must read the quantized value, and one named {@code tensor} when it is a graph
   * output written by a quantized node.
   */
  private void quantize(String tensor, String written) {
    String[] qp = activationInitializers(plan.paramsOf(tensor));
    String q = unique(tensor + "_quantized");
    nodes.add(node("QuantizeLinear", q, written, qp[0], qp[1]));
    boolean everyReader = plan.producedByQuantizedNode(tensor);
    Map<Integer, String> byReader = new HashMap<>();
    for (int reader : plan.index().consumers(tensor)) {
      if (everyReader || plan.role(reader) != null) {
        String dq = unique(tensor + "_dequantized");
        nodes.add(node("DequantizeLinear", dq, q, qp[0], qp[1]));
        byReader.put(reader, dq);
      }
    }
    dequantized.put(tensor, byReader);
    if (!written.equals(tensor)) {
      nodes.add(node("DequantizeLinear", tensor, q, qp[0], qp[1]));
    }
  }

  private String[] activationInitializers(String calibrated) {
    return activationInitializers.computeIfAbsent(
        calibrated,
        t -> {
          ActivationParams p = params.get(t);
          String scale = unique(t + "_scale");
          String zeroPoint = unique(t + "_zero_point");
          initializers.put(scale, OnnxTensors.floats(scale, new long[0], new float[] {p.scale()}));
          initializers.put(
              zeroPoint,
              OnnxTensors.uint8(zeroPoint, new long[0], new byte[] {(byte) p.zeroPoint()}));
          return new String[] {scale, zeroPoint};
        });
  }

  /**
   * Replaces inputs 1 (weights) and 2 (bias) of a Conv or Gemm by DequantizeLinear of their int8
   * and int32 forms.
   */
  private void quantizeWeights(NodeProto node, NodeProto.Builder out, int axis) {
    float inputScale = params.get(plan.paramsOf(node.getInput(0))).scale();
    TensorProto weight = plan.index().initializer(node.getInput(1));
    long[] weightDims = OnnxTensors.dims(weight);
    float[] bias =
        node.getInputCount() == 3
            ? OnnxTensors.floats(plan.index().initializer(node.getInput(2)))
            : null;
    ChannelWeights w =
        QuantizationMath.perChannelInt8(
            OnnxTensors.floats(weight),
            weightDims,
            axis,
            bias == null ? null : QuantizationMath.biasFloor(bias, inputScale));
    long[] channels = {w.scales().length};
    String base = weight.getName();
    String values =
        addInitializer(OnnxTensors.int8(unique(base + "_quantized"), weightDims, w.values()));
    String scale =
        addInitializer(OnnxTensors.floats(unique(base + "_scale"), channels, w.scales()));
    String zeroPoint =
        addInitializer(
            OnnxTensors.int8(unique(base + "_zero_point"), channels, new byte[w.scales().length]));
    String dq = unique(base + "_dequantized");
    nodes.add(
        node("DequantizeLinear", dq, values, scale, zeroPoint).toBuilder()
            .addAttribute(OnnxGraphWriter.integer("axis", axis))
            .build());
    out.setInput(1, dq);
    if (bias != null) {
      String biasName = node.getInput(2);
      float[] biasScales = QuantizationMath.biasScales(inputScale, w.scales());
      String biasValues =
          addInitializer(
              OnnxTensors.int32(
                  unique(biasName + "_quantized"),
                  channels,
                  QuantizationMath.int32Bias(bias, biasScales)));
      String biasScale =
          addInitializer(OnnxTensors.floats(unique(biasName + "_scale"), channels, biasScales));
      String biasDq = unique(biasName + "_dequantized");
      nodes.add(
          node("DequantizeLinear", biasDq, biasValues, biasScale).toBuilder()
              .addAttribute(OnnxGraphWriter.integer("axis", 0))
              .build());
      out.setInput(2, biasDq);
    }
  }

  /**
   * ONNX Runtime's Gemm fusion reads {@code beta} without a default; the defaults are written out.
   */
  private static void explicitGemmScalars(NodeProto node, NodeProto.Builder out) {
    for (String scalar : new String[] {"alpha", "beta"}) {
      if (node.getAttributeList().stream().noneMatch(a -> a.getName().equals(scalar))) {
        out.addAttribute(
            AttributeProto.newBuilder()
                .setName(scalar)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(1f));
      }
    }
  }

  private String addInitializer(TensorProto t) {
    initializers.put(t.getName(), t);
    return t.getName();
  }

  private NodeProto node(String op, String output, String... inputs) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(unique(output + "_" + op))
        .addAllInput(List.of(inputs))
        .addOutput(output)
        .build();
  }

  private String unique(String name) {
    String candidate = name;
    for (int i = 1; !names.add(candidate); i++) {
      candidate = name + "_" + i;
    }
    return candidate;
  }
}
