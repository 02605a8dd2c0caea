package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.classifier.model.ModelMetadata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The h5 import checked against h5py/NumPy: tensor round trips, the whole forward pass, and the
 * errors.
 */
class KerasH5ImportTest {

  @TempDir static Path dir;
  static PythonReference python;
  static Path h5;

  @BeforeAll
  static void writeKerasLayoutFile() throws Exception {
    python = PythonReference.require();
    h5 = dir.resolve("xception_random.h5");
    python.run("make-h5", h5.toString(), "--seed", "1");
  }

  @Test
  void tensorsLandWhereKerasPutsThem() throws Exception {
    XceptionWeights w = KerasH5Reader.read(h5);
    String[] probes = {
      "block1_conv1/kernel[1,2,0,5]",
      "block3_sepconv1/depthwise_kernel[2,0,100,0]",
      "block3_sepconv1/pointwise_kernel[0,0,100,200]",
      "conv2d_2/kernel[0,0,10,20]",
      "batch_normalization_4/moving_variance[1000]",
      "predictions/kernel[2047,999]",
      "predictions/bias[3]"
    };
    List<Float> expected =
        python.run(concat("dump", h5.toString(), probes)).lines().map(Float::valueOf).toList();

    WeightTensor conv = w.get("block1_conv1", "kernel");
    assertThat(conv.data()[((1 * 3 + 2) * 3 + 0) * 32 + 5]).isEqualTo(expected.get(0));
    assertThat(KerasLayouts.hwioToOihw(conv)[((5 * 3 + 0) * 3 + 1) * 3 + 2])
        .isEqualTo(expected.get(0));

    WeightTensor depthwise = w.get("block3_sepconv1", "depthwise_kernel");
    assertThat(depthwise.data()[(2 * 3 + 0) * 128 + 100]).isEqualTo(expected.get(1));
    assertThat(KerasLayouts.depthwiseToGroupConv(depthwise)[(100 * 3 + 2) * 3 + 0])
        .isEqualTo(expected.get(1));

    WeightTensor pointwise = w.get("block3_sepconv1", "pointwise_kernel");
    assertThat(KerasLayouts.hwioToOihw(pointwise)[200 * 128 + 100]).isEqualTo(expected.get(2));
    assertThat(w.get("block3_shortcut", "kernel").data()[10 * 256 + 20])
        .as("conv2d_2 is matched to block 3's shortcut by shape")
        .isEqualTo(expected.get(3));
    assertThat(w.get("block13_shortcut_bn", "moving_variance").data()[1000])
        .isEqualTo(expected.get(4));
    assertThat(w.get("predictions", "kernel").data()[2047 * 1000 + 999]).isEqualTo(expected.get(5));
    assertThat(w.get("predictions", "bias").data()[3]).isEqualTo(expected.get(6));
    assertThat(w.parameters()).isEqualTo(22_910_480L);
  }

  @Test
  void foldedConvolutionWeightIsKerasKernelTimesBatchNormScale() throws Exception {
    XceptionWeights w = KerasH5Reader.read(h5);
    var model = XceptionGraph.build(w, "test").model();
    TensorProto init =
        model.getGraph().getInitializerList().stream()
            .filter(t -> t.getName().equals("block1_conv1_W"))
            .findFirst()
            .orElseThrow();
    assertThat(init.getDimsList()).containsExactly(32L, 3L, 3L, 3L);
    float[] onnx = new float[32 * 27];
    init.getRawData()
        .asReadOnlyByteBuffer()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(onnx);
    int o = 5;
    int c = 0;
    int i = 1;
    int j = 2;
    double keras = w.get("block1_conv1", "kernel").data()[((i * 3 + j) * 3 + c) * 32 + o];
    double scale =
        w.get("block1_conv1_bn", "gamma").data()[o]
            / Math.sqrt(w.get("block1_conv1_bn", "moving_variance").data()[o] + 1e-3);
    assertThat(onnx[((o * 3 + c) * 3 + i) * 3 + j]).isEqualTo((float) (keras * scale));
  }

  @Test
  void onnxGraphAgreesWithIndependentNumpyForwardPass() throws Exception {
    Path onnx = dir.resolve("fidelity.onnx");
    var result = new XceptionModelBuilder(s -> {}).fromKerasH5(h5, onnx);
    assertThat(result.weightsSource()).matches("keras-h5:[0-9a-f]{64}");
    assertThat(OnnxMetadata.read(onnx))
        .containsEntry(ModelMetadata.WEIGHTS_SOURCE, result.weightsSource());

    float[] images = TestInputs.images();
    Path in = dir.resolve("inputs.f32");
    Path out = dir.resolve("reference.f64");
    Path featuresOut = dir.resolve("features.f64");
    ByteBuffer bytes = ByteBuffer.allocate(images.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(images);
    Files.write(in, bytes.array());
    python.run(
        "forward",
        h5.toString(),
        in.toString(),
        out.toString(),
        "--features",
        featuresOut.toString());
    double[] reference = readDoubles(out, TestInputs.IMAGES * 1000);

    TestInputs.Outputs outputs = TestInputs.runWithFeatures(onnx, images);
    float[][] p = outputs.probabilities();
    double maxDiff = 0;
    for (int n = 0; n < TestInputs.IMAGES; n++) {
      float[] ref = new float[1000];
      for (int k = 0; k < 1000; k++) {
        ref[k] = (float) reference[n * 1000 + k];
        maxDiff = Math.max(maxDiff, Math.abs(p[n][k] - reference[n * 1000 + k]));
      }
      assertThat(TestInputs.topK(p[n], 5))
          .as("top-5 of image %d", n)
          .containsExactly(TestInputs.topK(ref, 5));
      assertThat(ref[TestInputs.topK(ref, 1)[0]])
          .as("reference top-1 of image %d is peaked", n)
          .isGreaterThan(0.01f);
    }
    System.out.printf(
        "ONNX vs NumPy: max |dp| = %.3g, top-1 %s%n",
        maxDiff, Arrays.stream(p).map(r -> TestInputs.topK(r, 1)[0]).toList());
    assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
    assertFeatureMapMatches(
        outputs.features(), readDoubles(featuresOut, TestInputs.IMAGES * FEATURES));
  }

  private static final int FEATURES = 10 * 10 * 2048;

  /**
   * The feature output, NCHW in ONNX, against NumPy's NHWC block14_sepconv2_act. Float32 against
   * float64 through 36 convolutions: the bound is relative to the largest activation.
   */
  private static void assertFeatureMapMatches(float[][][][] onnx, double[] nhwc) {
    double maxDiff = 0;
    double maxAbs = 0;
    for (int n = 0; n < TestInputs.IMAGES; n++) {
      for (int y = 0; y < 10; y++) {
        for (int x = 0; x < 10; x++) {
          for (int k = 0; k < 2048; k++) {
            double expected = nhwc[n * FEATURES + (y * 10 + x) * 2048 + k];
            maxAbs = Math.max(maxAbs, Math.abs(expected));
            maxDiff = Math.max(maxDiff, Math.abs(onnx[n][k][y][x] - expected));
          }
        }
      }
    }
    System.out.printf(
        "feature map ONNX vs NumPy: max |df| = %.3g of max |f| = %.3g%n", maxDiff, maxAbs);
    assertThat(maxAbs).as("a feature map that is not all zero").isGreaterThan(0.1);
    assertThat(maxDiff).isLessThanOrEqualTo(1e-5 * maxAbs);
  }

  private static double[] readDoubles(Path file, int count) throws java.io.IOException {
    double[] values = new double[count];
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      assertThat(ch.size()).isEqualTo(count * 8L);
      ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size())
          .order(ByteOrder.LITTLE_ENDIAN)
          .asDoubleBuffer()
          .get(values);
    }
    return values;
  }

  @Test
  void missingLayerIsNamedWithItsExpectedShapes() throws Exception {
    Path broken = dir.resolve("missing.h5");
    python.run("make-h5", broken.toString(), "--drop", "block5_sepconv2_bn");
    assertFailsCleanly(broken, "no layer 'block5_sepconv2_bn'", "gamma (728)");
  }

  @Test
  void wrongShapeNamesLayerExpectedAndFound() throws Exception {
    Path broken = dir.resolve("shape.h5");
    python.run("make-h5", broken.toString(), "--reshape", "block3_sepconv1/pointwise_kernel");
    assertFailsCleanly(
        broken,
        "'block3_sepconv1' weight 'pointwise_kernel'",
        "expected shape (1,1,128,256)",
        "found (1,1,128,257)");
  }

  @Test
  void unmatchedShortcutListsTheUnnamedLayers() throws Exception {
    Path broken = dir.resolve("shortcut.h5");
    python.run("make-h5", broken.toString(), "--reshape", "conv2d_2/kernel");
    assertFailsCleanly(
        broken,
        "no unnamed layer for block3_shortcut",
        "kernel (1,1,128,256)",
        "conv2d_2 [kernel (1,1,128,257)]");
  }

  @Test
  void truncatedFileIsReportedAsSuch() throws Exception {
    Path truncated = dir.resolve("truncated.h5");
    try (FileChannel src = FileChannel.open(h5);
        FileChannel dst =
            FileChannel.open(truncated, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      src.transferTo(0, src.size() * 2 / 5, dst);
    }
    assertFailsCleanly(truncated, "truncated", "at layer");
  }

  private static void assertFailsCleanly(Path h5File, String... messageParts) throws Exception {
    Path outDir = Files.createDirectories(dir.resolve("out-" + h5File.getFileName()));
    assertThatThrownBy(
            () -> new XceptionModelBuilder(s -> {}).fromKerasH5(h5File, outDir.resolve("x.onnx")))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessageContainingAll(messageParts);
    try (var files = Files.list(outDir)) {
      assertThat(files).as("nothing half-written").isEmpty();
    }
  }

  private static String[] concat(String a, String b, String[] rest) {
    String[] all = new String[rest.length + 2];
    all[0] = a;
    all[1] = b;
    System.arraycopy(rest, 0, all, 2, rest.length);
    return all;
  }
}
