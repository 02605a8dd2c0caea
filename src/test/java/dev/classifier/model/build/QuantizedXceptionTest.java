package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.classifier.model.ClassifierHead;
import dev.classifier.model.ClassifierHeadReader;
import dev.classifier.model.ModelMetadata;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The INT8 Xception as {@code build-model --precision int8} writes it (synthetic weights, two
 * generated calibration images to keep the test short), and as ONNX Runtime optimises it.
 */
class QuantizedXceptionTest {

  /** 36 plain and shortcut convolutions plus 2 x 19 separable ones: Keras' 74 Conv layers. */
  private static final int CONVOLUTIONS = 74;

  @TempDir static Path dir;
  static Path fp32;
  static Path int8;
  static String commandOutput;
  static ModelProto model;

  @BeforeAll
  static void build() {
    fp32 = new XceptionModelBuilder(s -> {}).synthetic(42, dir.resolve("xception.onnx")).file();
    int8 = dir.resolve("xception-int8.onnx");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new BuildModelCommand(new PrintStream(out, true), new PrintStream(err, true))
            .run(
                "--synthetic",
                "--precision",
                "int8",
                "--calibration-images",
                "2",
                "--threads",
                "2",
                "--output",
                int8.toString());
    commandOutput = out.toString();
    assertThat(code).as(err.toString()).isZero();
    model = OrtModels.read(int8);
  }

  @Test
  void theCommandSaysRealPhotosCalibrateBetterAndTheFileRecordsTheCalibration() {
    assertThat(commandOutput)
        .contains(
            "No --calibration folder: calibrating on 2 generated textures. Real photos calibrate"
                + " better",
            "Rewriting as QDQ: 74 conv, 1 gemm, 12 add, 1 global_average_pool,",
            "INT8, weights synthetic:42",
            "Done in");
    assertThat(OnnxMetadata.read(int8))
        .containsEntry(ModelMetadata.PRECISION, "int8")
        .containsEntry(ModelMetadata.CALIBRATION_SOURCE, "generated:textures-v1")
        .containsEntry(ModelMetadata.CALIBRATION_IMAGES, "2")
        .containsEntry(ModelMetadata.RANGE_METHOD, "percentile:99.999")
        .containsEntry(ModelMetadata.QUANTIZER_VERSION, Int8Quantizer.QUANTIZER_VERSION)
        .containsEntry(ModelMetadata.WEIGHTS_SOURCE, "synthetic:42")
        .containsEntry(ModelMetadata.BUILDER_VERSION, XceptionGraph.BUILDER_VERSION);
    assertThat(OnnxMetadata.read(fp32)).containsEntry(ModelMetadata.PRECISION, "fp32");
  }

  @Test
  void everyConvolutionAndTheDenseLayerReadDequantizedInt8Weights() {
    Map<String, NodeProto> writers = new HashMap<>();
    model.getGraph().getNodeList().forEach(n -> n.getOutputList().forEach(o -> writers.put(o, n)));
    Map<String, TensorProto> initializers = new HashMap<>();
    model.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));

    List<NodeProto> convs =
        model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv")).toList();
    List<NodeProto> gemms =
        model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Gemm")).toList();
    assertThat(convs).hasSize(CONVOLUTIONS);
    assertThat(gemms).hasSize(1);
    for (NodeProto node : concat(convs, gemms)) {
      assertThat(writers.get(node.getInput(0)).getOpType())
          .as("%s reads a dequantized activation", node.getName())
          .isEqualTo("DequantizeLinear");
      NodeProto w = writers.get(node.getInput(1));
      assertThat(w.getOpType()).isEqualTo("DequantizeLinear");
      TensorProto values = initializers.get(w.getInput(0));
      assertThat(values.getDataType())
          .as("%s weights", node.getName())
          .isEqualTo(TensorProto.DataType.INT8_VALUE);
      int axis = node.getOpType().equals("Conv") ? 0 : 1;
      assertThat(QdqPlan.intAttribute(w, "axis", -1)).isEqualTo(axis);
      assertThat(initializers.get(w.getInput(1)).getDims(0))
          .as("%s: one scale per output channel", node.getName())
          .isEqualTo(values.getDims(axis));
      if (node.getInputCount() == 3) {
        TensorProto bias = initializers.get(writers.get(node.getInput(2)).getInput(0));
        assertThat(bias.getDataType()).isEqualTo(TensorProto.DataType.INT32_VALUE);
      }
    }
    assertThat(initializers.get(writers.get(gemms.get(0).getInput(1)).getInput(0)).getDimsList())
        .containsExactly(2048L, 1000L);
    assertThat(initializers.values())
        .filteredOn(t -> t.getDataType() == TensorProto.DataType.FLOAT_VALUE)
        .as("no float weights left: the float initializers are scales, one per tensor or channel")
        .allSatisfy(
            t -> {
              assertThat(t.getName()).endsWith("_scale");
              assertThat(t.getDimsCount()).isLessThanOrEqualTo(1);
            });
  }

  @Test
  void theInterfaceStaysTheFloatModels() {
    ModelProto floatModel = OrtModels.read(fp32);
    assertThat(model.getGraph().getInputList()).isEqualTo(floatModel.getGraph().getInputList());
    assertThat(model.getGraph().getOutputList()).isEqualTo(floatModel.getGraph().getOutputList());
    for (ValueInfoProto output : model.getGraph().getOutputList()) {
      assertThat(output.getType().getTensorType().getElemType())
          .isEqualTo(TensorProto.DataType.FLOAT_VALUE);
    }
  }

  @Test
  void onnxRuntimeRunsEveryConvolutionAsQLinearConvAndTheRestOnIntegers() throws Exception {
    ModelProto optimized =
        OrtModels.optimized(OrtRuntime.create(2), int8, dir.resolve("xception-int8-ort.onnx"));
    Map<String, Integer> ops = OrtModels.opCounts(optimized);
    System.out.println("ONNX Runtime's optimised INT8 Xception: " + ops);

    assertThat(ops)
        .containsEntry("com.microsoft:QLinearConv", CONVOLUTIONS)
        .containsEntry("com.microsoft:QLinearAdd", 12)
        .containsEntry("com.microsoft:QGemm", 1)
        .containsEntry("com.microsoft:QLinearGlobalAveragePool", 1)
        .doesNotContainKeys(
            "Conv", "Relu", "Add", "Gemm", "GlobalAveragePool", "com.microsoft:FusedConv");
    Map<String, NodeProto> writers = new HashMap<>();
    optimized
        .getGraph()
        .getNodeList()
        .forEach(n -> n.getOutputList().forEach(o -> writers.put(o, n)));
    List<NodeProto> pools =
        optimized.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().endsWith("MaxPool"))
            .toList();
    assertThat(pools).hasSize(4);
    for (NodeProto pool : pools) {
      assertThat(writers.get(pool.getInput(0)).getOpType())
          .as("max pooling on the uint8 output of a QLinearConv")
          .isEqualTo("QLinearConv");
    }
  }

  @Test
  void theInt8ModelCanStillBeExplainedItsDenseHeadReadThroughDequantizeLinear() {
    ClassifierHead floatHead = ClassifierHeadReader.read(fp32).head().orElseThrow();
    ClassifierHead int8Head = ClassifierHeadReader.read(int8).head().orElseThrow();

    assertThat(int8Head.featureOutput()).isEqualTo("block14_sepconv2_act");
    assertThat(int8Head.channels()).isEqualTo(2048);
    assertThat(int8Head.classes()).isEqualTo(1000);
    // per-column symmetric int8: each dequantized weight is within half a step of the float one
    float worst = 0;
    for (int k = 0; k < 2048; k++) {
      for (int c = 0; c < 1000; c++) {
        worst = Math.max(worst, Math.abs(int8Head.weight(k, c) - floatHead.weight(k, c)));
      }
    }
    float largest = 0;
    for (float w : floatHead.weights()) {
      largest = Math.max(largest, Math.abs(w));
    }
    assertThat(worst).isLessThanOrEqualTo(largest / 127f / 2f * 1.0001f);
  }

  @Test
  void theInt8FileIsAQuarterOfTheFloatOne() throws Exception {
    double ratio = (double) Files.size(int8) / Files.size(fp32);
    System.out.printf(
        "file sizes: fp32 %.1f MB, int8 %.1f MB (%.3f)%n",
        Files.size(fp32) / 1e6, Files.size(int8) / 1e6, ratio);
    assertThat(ratio).isBetween(0.25, 0.27);
  }

  private static List<NodeProto> concat(List<NodeProto> a, List<NodeProto> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
