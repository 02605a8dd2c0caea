package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestImages;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An INT8 Xception built by {@code build-model} from the Keras-layout h5 that the import tests
 * write, served by the whole service like any model: the HTTP answer is exactly what the INT8 file
 * computes for the service's own preprocessing of the upload. Skipped without Python and h5py on a
 * developer machine, mandatory with CI=true (see {@link PythonReference}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Int8ServiceEndToEndTest {

  @TempDir static Path dir;
  static Path model;

  /**
   * Runs before the Spring context exists (JUnit's class callbacks come first, the context is
   * created for the first test instance), so the service starts on the INT8 file.
   */
  @BeforeAll
  static void buildInt8FromKerasH5() throws Exception {
    PythonReference python = PythonReference.require();
    Path h5 = dir.resolve("xception_random.h5");
    python.run("make-h5", h5.toString(), "--seed", "1");
    model = dir.resolve("xception-int8.onnx");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new BuildModelCommand(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err))
            .run(
                "--weights",
                h5.toString(),
                "--precision",
                "int8",
                "--calibration-images",
                "2",
                "--threads",
                "2",
                "--output",
                model.toString());
    assertThat(code).as(err.toString()).isZero();
  }

  @DynamicPropertySource
  static void int8Model(DynamicPropertyRegistry registry) {
    registry.add(
        "classifier.model.path",
        () -> {
          if (model == null || !Files.isRegularFile(model)) {
            // never let the service fall back to building the synthetic float model there
            throw new IllegalStateException("the INT8 model was not built before the context");
          }
          return model.toString();
        });
  }

  @LocalServerPort int port;

  private static byte[] photoLikeJpeg() {
    BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(37, 90, 200), 640, 480, new Color(250, 71, 30)));
    g.fillRect(0, 0, 640, 480);
    g.setColor(new Color(20, 120, 13));
    g.fillOval(160, 120, 320, 240);
    g.dispose();
    return TestImages.encode(image, "jpeg");
  }

  @Test
  void classifiesThroughTheHttpApiExactlyAsTheInt8FileComputes() throws Exception {
    byte[] jpeg = photoLikeJpeg();
    HttpResponse<String> response =
        new HttpTestClient(port).postRaw("/v1/classify?topK=5", "image/jpeg", jpeg);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = HttpTestClient.json(response);
    assertThat(body.at("/model/weights").asString())
        .isEqualTo(
            "keras-h5:"
                + dev.classifier.model.FileDigest.sha256(dir.resolve("xception_random.h5")));
    assertThat(body.at("/model/synthetic").asBoolean()).isFalse();
    assertThat(body.at("/model/precision").asString()).isEqualTo("int8");
    assertThat(
            HttpTestClient.json(new HttpTestClient(port).get("/v1/models/xception"))
                .get("precision")
                .asString())
        .isEqualTo("int8");

    float[] pixels =
        ImageFolder.preprocessor()
            .prepare(jpeg, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF))
            .pixels();
    float[] p =
        OrtModels.run(
            OrtRuntime.create(2), model, "predictions", pixels, new long[] {1, 299, 299, 3}, true);
    int[] top5 = TestInputs.topK(p, 5);
    JsonNode predictions = body.at("/results/0/predictions");
    assertThat(predictions).hasSize(5);
    for (int rank = 0; rank < 5; rank++) {
      JsonNode prediction = predictions.get(rank);
      assertThat(prediction.get("index").asInt()).as("rank %d", rank + 1).isEqualTo(top5[rank]);
      assertThat(prediction.get("score").asDouble())
          .isCloseTo(p[top5[rank]], org.assertj.core.data.Offset.offset(1e-6));
    }
  }
}
