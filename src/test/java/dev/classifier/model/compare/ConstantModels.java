package dev.classifier.model.compare;

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
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Models whose output is a fixed class distribution whatever the image (the image still flows
 * through the graph, multiplied by 0), so every comparison figure is known by hand.
 */
final class ConstantModels {

  private ConstantModels() {}

  /**
   * @param size the NHWC input is [N, size, size, 3]
   * @param probabilities the output row, the same for every image
   */
  static Path write(Path file, int size, float[] probabilities, String precision)
      throws IOException {
    TensorProto.Builder row =
        TensorProto.newBuilder()
            .setName("row")
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addDims(1)
            .addDims(probabilities.length);
    for (float p : probabilities) {
      row.addFloatData(p);
    }
    GraphProto graph =
        GraphProto.newBuilder()
            .setName("constant")
            .addInput(valueInfo("input_1", -1, size, size, 3))
            .addOutput(valueInfo("predictions", -1, probabilities.length))
            .addInitializer(row)
            .addInitializer(
                TensorProto.newBuilder()
                    .setName("zero")
                    .setDataType(TensorProto.DataType.FLOAT_VALUE)
                    .addDims(1)
                    .addFloatData(0f))
            .addNode(
                node("ReduceMean", "mean", "input_1")
                    .addAttribute(
                        AttributeProto.newBuilder()
                            .setName("axes")
                            .setType(AttributeProto.AttributeType.INTS)
                            .addInts(1)
                            .addInts(2)
                            .addInts(3)))
            .addNode(node("Flatten", "flat", "mean"))
            .addNode(node("Mul", "nothing", "flat", "zero"))
            .addNode(node("Add", "predictions", "nothing", "row"))
            .build();
    ModelProto model =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
            .addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder()
                    .setKey("weights_source")
                    .setValue("test:constant"))
            .addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey("precision").setValue(precision))
            .setGraph(graph)
            .build();
    Files.write(file, model.toByteArray());
    return file;
  }

  private static NodeProto.Builder node(String op, String output, String... inputs) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    return node;
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
