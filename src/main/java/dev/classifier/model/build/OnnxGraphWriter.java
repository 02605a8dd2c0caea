package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Thin layer over the ONNX protobuf builders: unique value names, float initializers, integer
 * attributes.
 */
final class OnnxGraphWriter {

  private final GraphProto.Builder graph;
  private int nextId;

  OnnxGraphWriter(String name) {
    graph = GraphProto.newBuilder().setName(name);
  }

  /**
   * @param dims fixed sizes, or -1 for the dynamic batch dimension {@code N}
   */
  void input(String name, long... dims) {
    graph.addInput(valueInfo(name, dims));
  }

  void output(String name, long... dims) {
    graph.addOutput(valueInfo(name, dims));
  }

  String initializer(String name, long[] dims, float[] data) {
    ByteBuffer bytes =
        ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data);
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addAllDims(Arrays.stream(dims).boxed().toList())
            .setRawData(UnsafeByteOperations.unsafeWrap(bytes.array())));
    return name;
  }

  /** Adds a node whose single output gets a fresh name derived from {@code hint}. */
  String node(String op, String hint, String[] inputs, AttributeProto... attributes) {
    return emit(op, hint + "_" + (nextId++), inputs, attributes);
  }

  /**
   * Adds a node whose single output is exactly {@code output} (used for the graph's named output).
   */
  String namedNode(String op, String output, String[] inputs, AttributeProto... attributes) {
    return emit(op, output, inputs, attributes);
  }

  private String emit(String op, String output, String[] inputs, AttributeProto... attributes) {
    graph.addNode(
        NodeProto.newBuilder()
            .setOpType(op)
            .setName(output + "_" + op)
            .addAllInput(Arrays.asList(inputs))
            .addOutput(output)
            .addAllAttribute(Arrays.asList(attributes)));
    return output;
  }

  static AttributeProto ints(String name, long... values) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INTS)
        .addAllInts(Arrays.stream(values).boxed().toList())
        .build();
  }

  static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  GraphProto build() {
    return graph.build();
  }

  private static ValueInfoProto valueInfo(String name, long... dims) {
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
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
        .build();
  }
}
