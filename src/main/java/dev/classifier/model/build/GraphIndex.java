package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who writes and who reads each tensor of an ONNX graph, and which names are initializers, graph
 * inputs and graph outputs: the lookups the QDQ plan and rewrite make over and over.
 */
final class GraphIndex {

  private final Map<String, TensorProto> initializers = new HashMap<>();
  private final Map<String, Integer> producers = new HashMap<>();
  private final Map<String, List<Integer>> consumers = new HashMap<>();
  private final Set<String> graphInputs = new HashSet<>();
  private final Set<String> graphOutputs = new HashSet<>();

  GraphIndex(GraphProto graph) {
    for (TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    graph.getInputList().stream().map(ValueInfoProto::getName).forEach(graphInputs::add);
    graph.getOutputList().stream().map(ValueInfoProto::getName).forEach(graphOutputs::add);
    for (int n = 0; n < graph.getNodeCount(); n++) {
      NodeProto node = graph.getNode(n);
      for (String output : node.getOutputList()) {
        producers.put(output, n);
      }
      for (String input : node.getInputList()) {
        List<Integer> readers = consumers.computeIfAbsent(input, k -> new ArrayList<>());
        if (!input.isEmpty() && (readers.isEmpty() || readers.get(readers.size() - 1) != n)) {
          readers.add(n);
        }
      }
    }
  }

  TensorProto initializer(String name) {
    return initializers.get(name);
  }

  /** The initializer of that name if it is float, else null. */
  TensorProto floatInitializer(String name) {
    TensorProto t = initializers.get(name);
    return t != null && t.getDataType() == TensorProto.DataType.FLOAT_VALUE ? t : null;
  }

  /** A tensor computed at run time: neither absent (an empty optional input) nor a constant. */
  boolean isActivation(String tensor) {
    return !tensor.isEmpty() && !initializers.containsKey(tensor);
  }

  /** Index of the node writing {@code tensor}, or null for graph inputs and initializers. */
  Integer producer(String tensor) {
    return producers.get(tensor);
  }

  /** Nodes reading {@code tensor}, each once, in graph order. */
  List<Integer> consumers(String tensor) {
    return consumers.getOrDefault(tensor, List.of());
  }

  boolean isGraphOutput(String tensor) {
    return graphOutputs.contains(tensor);
  }

  boolean isGraphInput(String tensor) {
    return graphInputs.contains(tensor) && !initializers.containsKey(tensor);
  }
}
