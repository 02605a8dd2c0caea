package dev.classifier.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny CNN answers like the other tiny models, and its feature output is what its doc says. */
class TinyModelsTest {

  private static final int SIZE = 4;
  private static final int CLASSES = 1000;

  @TempDir Path dir;

  @Test
  void tinyCnnRanksTheClassOfTheMeanRedFirstAndExposesItsFeatureMap() throws Exception {
    Path model =
        TinyModels.writeCnn(
            dir.resolve("cnn.onnx"), TinyModels.Layout.NHWC, SIZE, CLASSES, true, "synthetic:7");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int red = 102;
    float[] pixels = new float[SIZE * SIZE * 3];
    for (int i = 0; i < SIZE * SIZE; i++) {
      pixels[i * 3] = red / 127.5f - 1f;
      pixels[i * 3 + 1] = -1f;
      pixels[i * 3 + 2] = 1f;
    }
    try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
        OnnxTensor input =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, SIZE, SIZE, 3});
        OrtSession.Result result = session.run(Map.of("input_1", input))) {
      float[] scores = ((float[][]) result.get("predictions").orElseThrow().getValue())[0];
      float[][][][] features = (float[][][][]) result.get("features").orElseThrow().getValue();

      int best = 0;
      for (int i = 1; i < CLASSES; i++) {
        best = scores[i] > scores[best] ? i : best;
      }
      assertThat(best).isEqualTo(TinyModels.expectedTop1(red, CLASSES)).isEqualTo(400);
      assertThat(features[0][0][2][1]).isEqualTo(red / 127.5f);
      assertThat(features[0][1][2][1]).isEqualTo(2f);
    }
  }
}
