package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import dev.classifier.model.ClassifierHead;
import dev.classifier.model.ClassifierHeadReader;
import dev.classifier.model.HeadLookup;
import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * build-model --keras against Keras itself: keras_models.py (one TensorFlow process) builds each
 * model with seeded random weights, saves it in each format and records {@code model.predict} for a
 * few inputs; each file is converted here, run in ONNX Runtime on the same inputs and compared (max
 * |Δp| ≤ 1e-4, equal top-5). The service then starts on the converted transfer-learning guide
 * model, with its labels, and classifies through the HTTP API. Skipped without TensorFlow on a
 * developer machine, mandatory with CI=true.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KerasImportParityTest {

  static final double TOLERANCE = 1e-4;
  static final String[] GUIDE_LABELS = {"cat", "dog"};

  static Path dir;
  static Path served;
  static final Map<String, Double> MEASURED = new ConcurrentHashMap<>();

  /** Before the Spring context: the service starts on the converted guide model. */
  @BeforeAll
  static void generateWithKeras() throws Exception {
    dir = Files.createTempDirectory("keras-import-");
    KerasReference.generate(dir);
    Path labels = dir.resolve("labels.txt");
    Files.writeString(labels, String.join("\n", GUIDE_LABELS) + "\n");
    served = dir.resolve("guide.onnx");
    assertThat(
            build(
                "--keras",
                dir.resolve("guide.keras").toString(),
                "--labels",
                labels.toString(),
                "--output",
                served.toString()))
        .isEmpty();
  }

  @AfterAll
  static void report() throws IOException {
    System.out.println("build-model --keras parity against Keras, max |Δp|: " + MEASURED);
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  @DynamicPropertySource
  static void guideModel(DynamicPropertyRegistry registry) {
    registry.add(
        "classifier.model.path",
        () -> {
          if (served == null || !Files.isRegularFile(served)) {
            throw new IllegalStateException("the guide model was not built before the context");
          }
          return served.toString();
        });
  }

  @LocalServerPort int port;

  /**
   * @return build-model's error output, empty on success
   */
  static String build(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new BuildModelCommand(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))
            .run(args);
    assertThat(code == 0).as(err.toString()).isEqualTo(err.size() == 0);
    return err.toString();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"full.keras", "full.weights.h5", "full.h5", "sequential.keras", "hidden.keras"})
  void convertedModelAnswersAsKerasDoes(String file) throws Exception {
    String name = file.substring(0, file.indexOf('.'));
    Path onnx = dir.resolve(file + ".onnx");
    assertThat(build("--keras", dir.resolve(file).toString(), "--output", onnx.toString()))
        .isEmpty();
    compare(file, name, onnx);
  }

  @Test
  void transferLearningGuideModelAnswersBothClassesAsKerasDoes() throws Exception {
    compare("guide.keras", "guide", served);
  }

  @Test
  void int8ConversionOfAnImportedModelRuns() throws Exception {
    Path onnx = dir.resolve("sequential-int8.onnx");
    assertThat(
            build(
                "--keras", dir.resolve("sequential.keras").toString(),
                "--precision", "int8",
                "--calibration-images", "2",
                "--threads", "2",
                "--output", onnx.toString()))
        .isEmpty();
    Reference ref = Reference.of(dir, "sequential");
    float[][] p = run(onnx, ref.input(), ref.inputShape(), XceptionGraph.OUTPUT);
    assertThat(p[0]).hasSize(5);
    assertThat(OnnxMetadata.read(onnx)).containsEntry("precision", "int8");
  }

  @Test
  void unsupportedModelIsRefusedNamingItsLayer() {
    String err =
        build(
            "--keras",
            dir.resolve("resnet.keras").toString(),
            "--output",
            dir.resolve("resnet.onnx").toString());
    assertThat(err)
        .contains("layer 'conv1_pad' (ZeroPadding2D) is not supported before the Xception layers");
    assertThat(dir.resolve("resnet.onnx")).doesNotExist();
  }

  @Test
  void weightsOfAnotherModelAreRefusedByTheirShape() {
    Path weights = dir.resolve("other.weights.h5");
    KerasArchive.extractWeights(dir.resolve("sequential.keras"), weights);
    String err =
        build(
            "--keras",
            weights.toString(),
            "--config",
            dir.resolve("guide.keras").toString(),
            "--output",
            dir.resolve("other.onnx").toString());
    assertThat(err)
        .contains(
            "layer 'dense' weight 0 (layers/dense/vars/0): the config needs shape (2048,1),"
                + " the weights file has (2048,5)");
  }

  @Test
  void aKeras3WeightsFileWithoutItsArchitectureSaysHowToGiveIt() throws IOException {
    Path alone = Files.createDirectories(dir.resolve("alone")).resolve("full.weights.h5");
    Files.copy(dir.resolve("full.weights.h5"), alone);
    String err =
        build("--keras", alone.toString(), "--output", dir.resolve("alone.onnx").toString());
    assertThat(err).contains("holds no architecture: give --config");
    Files.delete(alone);
    Files.delete(alone.getParent());
  }

  /** CAM: the mean of the class map plus the bias is the logit Keras computed, for every image. */
  @Test
  void classActivationMapOfTheGuideHeadAveragesToKerasLogit() throws Exception {
    HeadLookup lookup = ClassifierHeadReader.read(served);
    assertThat(lookup.supported()).as(lookup.toString()).isTrue();
    ClassifierHead head = lookup.head().orElseThrow();
    assertThat(head.classes()).isEqualTo(2);
    Reference ref = Reference.of(dir, "guide");
    float[][][][] f = features(served, ref.input(), ref.inputShape());
    for (int image = 0; image < ref.images(); image++) {
      double mean = 0;
      int h = f[image][0].length;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < h; x++) {
          double map = 0;
          for (int k = 0; k < head.channels(); k++) {
            map += head.weight(k, 1) * f[image][k][y][x];
          }
          mean += map / (h * h);
        }
      }
      assertThat(mean + head.bias()[1])
          .isCloseTo(ref.output()[image], org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void serviceClassifiesWithTheModelsOwnLabelsAndRawPixels() throws Exception {
    BufferedImage image = new BufferedImage(200, 160, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(new Color(200, 60, 30));
    g.fillRect(0, 0, 200, 160);
    g.setColor(new Color(20, 120, 230));
    g.fillOval(40, 20, 120, 120);
    g.dispose();
    byte[] png = TestImages.encode(image, "png");
    HttpResponse<String> response =
        new HttpTestClient(port).postRaw("/v1/classify?topK=2", "image/png", png);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = HttpTestClient.json(response);
    float[] pixels =
        ImageFolder.preprocessor()
            .prepare(png, new InputSpec(150, 150, TensorLayout.NHWC, Normalization.RAW))
            .pixels();
    float[] p = run(served, pixels, new long[] {1, 150, 150, 3}, XceptionGraph.OUTPUT)[0];
    int top = p[1] > p[0] ? 1 : 0;
    JsonNode first = body.at("/results/0/predictions/0");
    assertThat(first.get("index").asInt()).isEqualTo(top);
    assertThat(first.get("label").asString()).isEqualTo(GUIDE_LABELS[top]);
    assertThat(first.get("score").asDouble())
        .isCloseTo(p[top], org.assertj.core.data.Offset.offset(1e-6));
    JsonNode info = HttpTestClient.json(new HttpTestClient(port).get("/v1/models/xception"));
    assertThat(info.at("/input/preprocessing").asString()).isEqualTo("raw");
    assertThat(info.get("explanations").asBoolean()).isTrue();
  }

  private static void compare(String file, String name, Path onnx) throws Exception {
    Reference ref = Reference.of(dir, name);
    float[][] p = run(onnx, ref.input(), ref.inputShape(), XceptionGraph.OUTPUT);
    int units = ref.outputShape()[1];
    double max = 0;
    for (int image = 0; image < ref.images(); image++) {
      float[] keras = Arrays.copyOfRange(ref.output(), image * units, (image + 1) * units);
      if (units == 1) {
        // a single logit (the guide model): the service answers [1 - sigmoid(z), sigmoid(z)]
        double s = 1 / (1 + Math.exp(-keras[0]));
        keras = new float[] {(float) (1 - s), (float) s};
      }
      assertThat(p[image]).hasSize(keras.length);
      for (int c = 0; c < keras.length; c++) {
        max = Math.max(max, Math.abs(p[image][c] - keras[c]));
      }
      int k = Math.min(5, keras.length);
      assertThat(TestInputs.topK(p[image], k))
          .as("%s image %d top-%d", file, image, k)
          .containsExactly(TestInputs.topK(keras, k));
    }
    MEASURED.put(file, max);
    assertThat(max).as("%s max |Δp|", file).isLessThanOrEqualTo(TOLERANCE);
  }

  private static float[][] run(Path model, float[] input, long[] shape, String output)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      // tensors and results hold native memory: closed with the session
      try (OrtSession session = env.createSession(model.toString(), options);
          OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
          OrtSession.Result result =
              session.run(Map.of(XceptionGraph.INPUT, tensor), Set.of(output))) {
        return (float[][]) result.get(output).orElseThrow().getValue();
      }
    }
  }

  private static float[][][][] features(Path model, float[] input, long[] shape)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(model.toString(), options);
          OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
          OrtSession.Result result =
              session.run(
                  Map.of(XceptionGraph.INPUT, tensor), Set.of(XceptionGraph.FEATURE_OUTPUT))) {
        return (float[][][][]) result.get(XceptionGraph.FEATURE_OUTPUT).orElseThrow().getValue();
      }
    }
  }

  /** What keras_models.py wrote for one model. */
  record Reference(float[] input, long[] inputShape, float[] output, int[] outputShape) {

    int images() {
      return (int) inputShape[0];
    }

    static Reference of(Path dir, String name) throws IOException {
      JsonNode json = JsonMapper.builder().build().readTree(dir.resolve(name + ".json").toFile());
      long[] in = new long[4];
      for (int i = 0; i < 4; i++) {
        in[i] = json.get("input").get(i).asLong();
      }
      int[] out = {json.get("output").get(0).asInt(), json.get("output").get(1).asInt()};
      return new Reference(
          floats(dir.resolve(name + ".input.f32")),
          in,
          floats(dir.resolve(name + ".output.f32")),
          out);
    }

    private static float[] floats(Path file) throws IOException {
      byte[] bytes = Files.readAllBytes(file);
      float[] values = new float[bytes.length / 4];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      return values;
    }
  }
}
