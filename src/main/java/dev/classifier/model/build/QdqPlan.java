package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes and tensors of a float ONNX graph the QDQ rewrite quantizes, decided from the graph
 * alone, so that calibration records exactly the tensors that need a range.
 *
 * <p>The rules follow what ONNX Runtime's QDQ fusion needs to turn a node into its integer kernel:
 * a Conv (constant weights) or Gemm (constant B, no transA, alpha = beta = 1) is always quantized,
 * its activation input gets a QuantizeLinear wherever it comes from; an Add of two activations, a
 * GlobalAveragePool, a Relu and the data-movement ops (MaxPool, Flatten, Reshape, Transpose,
 * Squeeze, Unsqueeze) are quantized when their input already is, so that a chain of quantized nodes
 * stays int8 from one QLinear kernel to the next. Data-movement outputs reuse their input's scale
 * and zero point (ONNX Runtime then runs MaxPool on uint8 and drops the Q/DQ pair). A Conv or Gemm
 * output read only by a Relu gets no QuantizeLinear of its own: the Relu's does, with zero point 0,
 * which clips at 0 like the Relu, and ONNX Runtime absorbs the Relu into the kernel. Every other op
 * (Softmax, ReduceMean, ...) stays float, fed by DequantizeLinear where its input is quantized;
 * graph inputs and outputs stay float.
 */
final class QdqPlan {

  enum Role {
    CONV,
    GEMM,
    ADD,
    GLOBAL_AVERAGE_POOL,
    RELU,
    PASS_THROUGH
  }

  private static final Set<String> PASS_THROUGH_OPS =
      Set.of("MaxPool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze");

  private final GraphProto graph;
  private final GraphIndex index;
  private final Role[] roles;

  /** Quantized tensor to the tensor whose scale and zero point it uses (itself if calibrated). */
  private final Map<String, String> quantized = new LinkedHashMap<>();

  /** Conv/Gemm outputs read only by a Relu: quantized by the Relu's QuantizeLinear instead. */
  private final Set<String> absorbed = new HashSet<>();

  private QdqPlan(GraphProto graph) {
    this.graph = graph;
    this.index = new GraphIndex(graph);
    this.roles = new Role[graph.getNodeCount()];
  }

  /**
   * @throws IllegalArgumentException when the model's default-domain opset is below 13 (per-axis
   *     DequantizeLinear)
   */
  static QdqPlan of(ModelProto model) {
    long opset =
        model.getOpsetImportList().stream()
            .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
            .mapToLong(o -> o.getVersion())
            .max()
            .orElse(0);
    if (opset < 13) {
      throw new IllegalArgumentException(
          "INT8 quantization needs ONNX opset 13 or later (per-channel DequantizeLinear), the model"
              + " has "
              + opset);
    }
    QdqPlan plan = new QdqPlan(model.getGraph());
    plan.decide();
    return plan;
  }

  private void decide() {
    List<NodeProto> nodes = graph.getNodeList();
    for (int n = 0; n < nodes.size(); n++) {
      if (weightedRole(nodes.get(n)) != null) {
        String output = nodes.get(n).getOutput(0);
        List<Integer> readers = index.consumers(output);
        if (readers.size() == 1
            && nodes.get(readers.get(0)).getOpType().equals("Relu")
            && !index.isGraphOutput(output)) {
          absorbed.add(output);
        }
      }
    }
    for (int n = 0; n < nodes.size(); n++) {
      NodeProto node = nodes.get(n);
      Role role = weightedRole(node);
      if (role != null) {
        require(node.getInput(0));
        if (role == Role.CONV && !absorbed.contains(node.getOutput(0))) {
          own(node.getOutput(0));
        }
      } else if (node.getOutputCount() != 1) {
        continue;
      } else if (node.getOpType().equals("Add")) {
        String a = node.getInput(0);
        String b = node.getInput(1);
        if (index.isActivation(a) && index.isActivation(b) && (isQuantized(a) || isQuantized(b))) {
          role = Role.ADD;
          require(a);
          require(b);
          own(node.getOutput(0));
        }
      } else if (node.getOpType().equals("GlobalAveragePool") && isQuantized(node.getInput(0))) {
        role = Role.GLOBAL_AVERAGE_POOL;
        own(node.getOutput(0));
      } else if (node.getOpType().equals("Relu")
          && (isQuantized(node.getInput(0)) || absorbed.contains(node.getInput(0)))) {
        role = Role.RELU;
        own(node.getOutput(0));
      } else if (PASS_THROUGH_OPS.contains(node.getOpType()) && isQuantized(node.getInput(0))) {
        role = Role.PASS_THROUGH;
        quantized.put(node.getOutput(0), quantized.get(node.getInput(0)));
      }
      roles[n] = role;
    }
  }

  /** CONV or GEMM when the node's weights can be quantized as the fused kernels need, else null. */
  private Role weightedRole(NodeProto node) {
    if (node.getOutputCount() != 1 || node.getInputCount() < 2 || node.getInputCount() > 3) {
      return null;
    }
    TensorProto weight = index.floatInitializer(node.getInput(1));
    TensorProto bias = node.getInputCount() == 3 ? index.floatInitializer(node.getInput(2)) : null;
    if (weight == null || (node.getInputCount() == 3 && bias == null)) {
      return null;
    }
    if (!index.isActivation(node.getInput(0))) {
      return null;
    }
    if (node.getOpType().equals("Conv") && weight.getDimsCount() >= 3) {
      boolean biasFits =
          bias == null || (bias.getDimsCount() == 1 && bias.getDims(0) == weight.getDims(0));
      return biasFits ? Role.CONV : null;
    }
    if (node.getOpType().equals("Gemm") && weight.getDimsCount() == 2) {
      if (intAttribute(node, "transA", 0) != 0
          || floatAttribute(node, "alpha", 1f) != 1f
          || floatAttribute(node, "beta", 1f) != 1f) {
        return null;
      }
      long columns = weight.getDims(intAttribute(node, "transB", 0) != 0 ? 0 : 1);
      boolean biasFits = bias == null || (bias.getDimsCount() == 1 && bias.getDims(0) == columns);
      return biasFits ? Role.GEMM : null;
    }
    return null;
  }

  private void require(String tensor) {
    if (!quantized.containsKey(tensor)) {
      own(tensor);
    }
  }

  private void own(String tensor) {
    quantized.put(tensor, tensor);
  }

  static long intAttribute(NodeProto node, String name, long fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name) && a.getType() == AttributeProto.AttributeType.INT)
        .mapToLong(AttributeProto::getI)
        .findFirst()
        .orElse(fallback);
  }

  static float floatAttribute(NodeProto node, String name, float fallback) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name) && a.getType() == AttributeProto.AttributeType.FLOAT)
        .map(AttributeProto::getF)
        .findFirst()
        .orElse(fallback);
  }

  GraphProto graph() {
    return graph;
  }

  /** How node {@code n} is quantized, or null when it stays float. */
  Role role(int n) {
    return roles[n];
  }

  /** Every tensor that needs a calibrated range, in graph order. */
  List<String> calibrated() {
    return quantized.entrySet().stream()
        .filter(e -> e.getKey().equals(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Every quantized tensor, in graph order. */
  Set<String> quantizedTensors() {
    return quantized.keySet();
  }

  boolean isQuantized(String tensor) {
    return quantized.containsKey(tensor);
  }

  /** The calibrated tensor whose scale and zero point {@code tensor} uses. */
  String paramsOf(String tensor) {
    return quantized.get(tensor);
  }

  /**
   * Whether {@code tensor} is written by a quantized node: then every reader, float ones too, must
   * read it through DequantizeLinear, or ONNX Runtime cannot fuse the writer.
   */
  boolean producedByQuantizedNode(String tensor) {
    Integer producer = index.producer(tensor);
    return producer != null && roles[producer] != null;
  }

  GraphIndex index() {
    return index;
  }

  /** How many nodes each role covers, for the build log. */
  Map<Role, Integer> counts() {
    Map<Role, Integer> counts = new EnumMap<>(Role.class);
    for (Role r : roles) {
      if (r != null) {
        counts.merge(r, 1, Integer::sum);
      }
    }
    return counts;
  }
}
