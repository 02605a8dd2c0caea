package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.classifier.model.ModelMetadata;
import dev.classifier.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QDQ rewrite as a generic transformation, on the tiny CNN with Xception's head (Conv ->
 * GlobalAveragePool -> Flatten -> Gemm -> Softmax): what it writes, what ONNX Runtime makes of it,
 * and that the answers stay the float model's.
 */
class TinyModelQuantizationTest {

  private static final int SIZE = 16;

  /** Ten classes, 28 grey levels of red apart: far more than the quantization error. */
  private static final int CLASSES = 10;

  @TempDir static Path dir;
  static OrtRuntime runtime;

  @BeforeAll
  static void runtime() {
    runtime = OrtRuntime.create(2);
  }

  private static Path tinyCnn(TinyModels.Layout layout, boolean featureOutput) {
    return TinyModels.writeCnn(
        dir.resolve("cnn-" + layout + "-" + featureOutput + ".onnx"),
        layout,
        SIZE,
        CLASSES,
        featureOutput,
        "synthetic:7");
  }

  private static Path quantize(Path floatModel, int images) {
    return quantize(floatModel, CalibrationImages.generated(images));
  }

  private static Path quantize(Path floatModel, CalibrationImages images) {
    ModelProto quantized =
        new Int8Quantizer(runtime, s -> {})
            .quantize(OrtModels.read(floatModel), images, Int8Quantizer.DEFAULT_PERCENTILE)
            .model();
    Path out = dir.resolve("int8-" + floatModel.getFileName());
    OnnxModelFiles.writeAtomically(quantized, out);
    return out;
  }

  /** A solid image: red {@code red}, green 0, blue 255, in the given layout, in [-1, 1]. */
  private static float[] solid(TinyModels.Layout layout, int red) {
    float[] x = new float[SIZE * SIZE * 3];
    float[] rgb = {red / 127.5f - 1f, -1f, 1f};
    for (int i = 0; i < SIZE * SIZE; i++) {
      for (int c = 0; c < 3; c++) {
        x[layout == TinyModels.Layout.NHWC ? i * 3 + c : c * SIZE * SIZE + i] = rgb[c];
      }
    }
    return x;
  }

  private static long[] shape(TinyModels.Layout layout) {
    return layout == TinyModels.Layout.NHWC
        ? new long[] {1, SIZE, SIZE, 3}
        : new long[] {1, 3, SIZE, SIZE};
  }

  /** The class centres' solid colours as PNG files: what the test images will look like. */
  private static Path solidColourFolder() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("solid-colours"));
    for (int k = 0; k < CLASSES; k++) {
      BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
      int red = Math.round(255f * k / (CLASSES - 1));
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 40; x++) {
          image.setRGB(x, y, red << 16 | 255);
        }
      }
      ImageIO.write(image, "png", folder.resolve("solid-" + k + ".png").toFile());
    }
    Files.writeString(folder.resolve("notes.txt"), "not an image: skipped");
    return folder;
  }

  @Test
  void quantizedTinyCnnRanksTheFloatModelsClassFirstInBothLayouts() throws Exception {
    // calibrated on images like the test's: generated textures would not reach the mean red of
    // the extreme classes, and a range that ends short saturates them
    List<String> progress = new ArrayList<>();
    CalibrationImages calibration =
        CalibrationImages.folder(solidColourFolder(), 100, progress::add);
    for (TinyModels.Layout layout : TinyModels.Layout.values()) {
      Path fp32 = tinyCnn(layout, layout == TinyModels.Layout.NHWC);
      Path int8 = quantize(fp32, calibration);
      for (int k = 0; k < CLASSES; k++) {
        int red = Math.round(255f * k / (CLASSES - 1));
        float[] x = solid(layout, red);
        float[] p32 = OrtModels.run(runtime, fp32, "predictions", x, shape(layout), true);
        float[] p8 = OrtModels.run(runtime, int8, "predictions", x, shape(layout), true);
        assertThat(OrtModels.argmax(p32, 0, CLASSES))
            .as("float top-1 for red %d (%s)", red, layout)
            .isEqualTo(TinyModels.expectedTop1(red, CLASSES))
            .isEqualTo(k);
        assertThat(OrtModels.argmax(p8, 0, CLASSES))
            .as("int8 top-1 for red %d (%s)", red, layout)
            .isEqualTo(k);
      }
    }
    assertThat(progress)
        .containsExactly(
            "skipped notes.txt: not an image in a supported format (jpeg, png, gif, bmp, webp, tiff)",
            "skipped notes.txt: not an image in a supported format (jpeg, png, gif, bmp, webp, tiff)");
  }

  @Test
  void convAndGemmReadDequantizedInt8WeightsAndInt32BiasesAndTheInterfaceStaysFloat() {
    Path fp32 = tinyCnn(TinyModels.Layout.NHWC, true);
    ModelProto model = OrtModels.read(quantize(fp32, 4));
    Map<String, NodeProto> writers = new HashMap<>();
    model.getGraph().getNodeList().forEach(n -> n.getOutputList().forEach(o -> writers.put(o, n)));
    Map<String, TensorProto> initializers = new HashMap<>();
    model.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));

    List<NodeProto> weighted =
        model.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("Conv") || n.getOpType().equals("Gemm"))
            .toList();
    assertThat(weighted).extracting(NodeProto::getOpType).containsExactly("Conv", "Gemm");
    for (NodeProto node : weighted) {
      NodeProto x = writers.get(node.getInput(0));
      NodeProto w = writers.get(node.getInput(1));
      NodeProto b = writers.get(node.getInput(2));
      assertThat(x.getOpType()).isEqualTo("DequantizeLinear");
      assertThat(writers.get(x.getInput(0)).getOpType()).isEqualTo("QuantizeLinear");
      assertThat(initializers.get(x.getInput(2)).getDataType())
          .isEqualTo(TensorProto.DataType.UINT8_VALUE);
      assertThat(w.getOpType()).isEqualTo("DequantizeLinear");
      assertThat(initializers.get(w.getInput(0)).getDataType())
          .isEqualTo(TensorProto.DataType.INT8_VALUE);
      assertThat(b.getOpType()).isEqualTo("DequantizeLinear");
      assertThat(initializers.get(b.getInput(0)).getDataType())
          .isEqualTo(TensorProto.DataType.INT32_VALUE);
      assertThat(QdqPlan.intAttribute(w, "axis", -1))
          .as("per output channel: Conv OIHW axis 0, Gemm B [K, N] axis 1")
          .isEqualTo(node.getOpType().equals("Conv") ? 0 : 1);
    }
    // the 1x1 convolution picks red and blue: weight 1 is 127 steps of 1/127, the rest exactly 0
    TensorProto convW = initializers.get(writers.get(weighted.get(0).getInput(1)).getInput(0));
    assertThat(convW.getRawData().toByteArray()).containsExactly(127, 0, 0, 0, 0, 127);
    assertThat(OnnxTensors.floats(initializers.get("conv_W_scale")))
        .containsExactly(1f / 127, 1f / 127);
    assertThat(initializers).doesNotContainKeys("conv_W", "predictions_W", "predictions_B");

    assertThat(model.getGraph().getInputList())
        .extracting(ValueInfoProto::getName)
        .containsExactly("input_1");
    assertThat(model.getGraph().getOutputList())
        .extracting(ValueInfoProto::getName)
        .containsExactly("predictions", "features");
    assertThat(writers.get("predictions").getOpType()).isEqualTo("Softmax");
    assertThat(writers.get("features").getOpType())
        .as("the feature output is the DequantizeLinear of the quantized feature map")
        .isEqualTo("DequantizeLinear");
  }

  @Test
  void onnxRuntimeFusesTheGraphAndTheFusedKernelsComputeWhatTheQdqGraphSays() throws Exception {
    Path int8 = quantize(tinyCnn(TinyModels.Layout.NCHW, true), 4);
    assertThat(OrtModels.opCounts(OrtModels.optimized(runtime, int8, dir.resolve("opt.onnx"))))
        .containsEntry("com.microsoft:QLinearConv", 1)
        .containsEntry("com.microsoft:QLinearGlobalAveragePool", 1)
        .containsEntry("com.microsoft:QGemm", 1)
        .doesNotContainKeys("Conv", "Gemm", "GlobalAveragePool");

    ModelProto model = OrtModels.read(int8);
    float featureScale =
        model.getGraph().getInitializerList().stream()
            .filter(t -> t.getName().equals("features_scale"))
            .map(t -> OnnxTensors.floats(t)[0])
            .findFirst()
            .orElseThrow();
    for (int red : new int[] {0, 57, 130, 255}) {
      float[] x = solid(TinyModels.Layout.NCHW, red);
      long[] shape = shape(TinyModels.Layout.NCHW);
      // unfused: every DequantizeLinear, float Conv and QuantizeLinear as written, so the int32
      // bias is read at its declared scale; fused: QLinearConv adds the int32 bias to its
      // accumulator, which is right only if that scale is input scale x weight scale
      float[] fused = OrtModels.run(runtime, int8, "features", x, shape, true);
      float[] plain = OrtModels.run(runtime, int8, "features", x, shape, false);
      for (int i = 0; i < fused.length; i++) {
        assertThat(Math.abs(fused[i] - plain[i]))
            .as("feature %d for red %d", i, red)
            .isLessThanOrEqualTo(featureScale * 1.001f);
      }
    }
  }

  @Test
  void theWrittenModelSaysHowItWasQuantized() {
    ModelProto model = OrtModels.read(quantize(tinyCnn(TinyModels.Layout.NHWC, false), 3));
    Map<String, String> metadata = new HashMap<>();
    model.getMetadataPropsList().forEach(e -> metadata.put(e.getKey(), e.getValue()));

    assertThat(metadata)
        .containsEntry(ModelMetadata.PRECISION, "int8")
        .containsEntry(ModelMetadata.CALIBRATION_SOURCE, "generated:textures-v1")
        .containsEntry(ModelMetadata.CALIBRATION_IMAGES, "3")
        .containsEntry(ModelMetadata.RANGE_METHOD, "percentile:99.999")
        .containsEntry(ModelMetadata.QUANTIZER_VERSION, Int8Quantizer.QUANTIZER_VERSION)
        .containsEntry(ModelMetadata.WEIGHTS_SOURCE, "synthetic:7");
    assertThat(ModelMetadata.of(metadata).int8()).isTrue();
  }

  /**
   * NCHW [N, 3, 4, 4] -> GlobalAveragePool -> Flatten -> Gemm with transB (B is [classes, 3]) ->
   * Softmax: class c scores the mean of channel c % 3 times (c + 1), so the ranking is known.
   */
  private static Path transposedGemm() throws IOException {
    int classes = 5;
    float[] b = new float[classes * 3];
    for (int c = 0; c < classes; c++) {
      b[c * 3 + c % 3] = c + 1;
    }
    ai.onnx.proto.OnnxMl.GraphProto graph =
        ai.onnx.proto.OnnxMl.GraphProto.newBuilder()
            .setName("transposed-gemm")
            .addInput(floatInput("input_1", -1, 3, 4, 4))
            .addOutput(floatInput("predictions", -1, classes))
            .addInitializer(OnnxTensors.floats("B", new long[] {classes, 3}, b))
            .addNode(
                NodeProto.newBuilder()
                    .setOpType("GlobalAveragePool")
                    .addInput("input_1")
                    .addOutput("pooled"))
            .addNode(
                NodeProto.newBuilder().setOpType("Flatten").addInput("pooled").addOutput("flat"))
            .addNode(
                NodeProto.newBuilder()
                    .setOpType("Gemm")
                    .addInput("flat")
                    .addInput("B")
                    .addOutput("logits")
                    .addAttribute(OnnxGraphWriter.integer("transB", 1)))
            .addNode(
                NodeProto.newBuilder()
                    .setOpType("Softmax")
                    .addInput("logits")
                    .addOutput("predictions")
                    .addAttribute(OnnxGraphWriter.integer("axis", 1)))
            .build();
    ModelProto model =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .addOpsetImport(
                ai.onnx.proto.OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
            .setGraph(graph)
            .build();
    Path file = dir.resolve("transposed-gemm.onnx");
    Files.write(file, model.toByteArray());
    return file;
  }

  private static ValueInfoProto floatInput(String name, long... dims) {
    ai.onnx.proto.OnnxMl.TensorShapeProto.Builder shape =
        ai.onnx.proto.OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(
          d < 0
              ? ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N")
              : ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            ai.onnx.proto.OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    ai.onnx.proto.OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
        .build();
  }

  @Test
  void aGemmWithTransBIsQuantizedPerOutputRowAndStillRanksAsTheFloatOne() throws Exception {
    Path fp32 = transposedGemm();
    Path int8 = quantize(fp32, 4);
    ModelProto model = OrtModels.read(int8);
    NodeProto weights =
        model.getGraph().getNodeList().stream()
            .filter(n -> n.getOutput(0).equals("B_dequantized"))
            .findFirst()
            .orElseThrow();
    assertThat(QdqPlan.intAttribute(weights, "axis", -1)).as("B is [N, K]: axis 0").isEqualTo(0);
    assertThat(
            model.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("B_scale"))
                .map(t -> OnnxTensors.floats(t))
                .findFirst()
                .orElseThrow())
        .containsExactly(1f / 127, 2f / 127, 3f / 127, 4f / 127, 5f / 127);
    assertThat(OrtModels.opCounts(OrtModels.optimized(runtime, int8, dir.resolve("gemm-opt.onnx"))))
        .containsEntry("com.microsoft:QGemm", 1)
        .doesNotContainKey("Gemm");

    // channel means (red, green, blue) = (0.2, 0.1, -0.3): scores 0.2, 0.2, -0.9, 0.8, 0.5
    float[] x = new float[48];
    for (int i = 0; i < 16; i++) {
      x[i] = 0.2f;
      x[16 + i] = 0.1f;
      x[32 + i] = -0.3f;
    }
    long[] shape = {1, 3, 4, 4};
    float[] p32 = OrtModels.run(runtime, fp32, "predictions", x, shape, true);
    float[] p8 = OrtModels.run(runtime, int8, "predictions", x, shape, true);
    assertThat(OrtModels.argmax(p32, 0, 5)).isEqualTo(3);
    assertThat(OrtModels.argmax(p8, 0, 5)).isEqualTo(3);
  }

  @Test
  void aModelWithoutConvOrGemmIsRefusedRatherThanLabelledInt8() {
    Path tiny =
        TinyModels.write(
            dir.resolve("no-conv.onnx"),
            TinyModels.Layout.NHWC,
            SIZE,
            CLASSES,
            true,
            "synthetic:7");

    assertThatThrownBy(() -> quantize(tiny, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "nothing to quantize: the model has no Conv or Gemm with constant float weights");
  }
}
