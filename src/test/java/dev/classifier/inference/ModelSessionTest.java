package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session an adaptive budget adds, on a tiny model whose top class is known from the input. */
class ModelSessionTest {

  private static final int SIZE = 8;
  private static final int CLASSES = 1000;

  @TempDir Path dir;

  private ModelSession open(ThreadBudget threads) {
    Path model =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, SIZE, CLASSES, true, "synthetic:7");
    return ModelSession.open(
        model,
        new SessionSettings(ExecutionProvider.CPU, 0, threads, Spinning.OFF),
        Optional.empty());
  }

  private static float[] solidRed(int red) {
    float[] pixels = new float[3 * SIZE * SIZE];
    for (int i = 0; i < SIZE * SIZE; i++) {
      pixels[i * 3] = red / 127.5f - 1f;
      pixels[i * 3 + 1] = -1f;
      pixels[i * 3 + 2] = 1f;
    }
    return pixels;
  }

  @Test
  void anAdaptiveBudgetAnswersTheSameOnBothSessions() {
    try (ModelSession session = open(ThreadBudget.adaptive(2));
        BatchRunner runner = session.runner(2)) {
      assertThat(session.adaptive()).isTrue();
      List<float[]> images = List.of(solidRed(51), solidRed(204));

      float[][] alone = runner.run(images, false, 0).scores();
      float[][] crowded = runner.run(images, false, 3).scores();

      assertThat(crowded).isDeepEqualTo(alone);
      assertThat(Scores.topK(alone[0], 1)).containsExactly(TinyModels.expectedTop1(51, CLASSES));
      assertThat(Scores.topK(alone[1], 1)).containsExactly(TinyModels.expectedTop1(204, CLASSES));
      assertThat(TinyModels.expectedTop1(51, CLASSES)).isEqualTo(200);
    }
  }

  @Test
  void aFixedBudgetOpensOneSession() {
    try (ModelSession session = open(ThreadBudget.of(2, 1, 0))) {
      assertThat(session.adaptive()).isFalse();
    }
  }

  @Test
  void oneCpuHasNothingToAdapt() {
    try (ModelSession session = open(ThreadBudget.adaptive(1))) {
      assertThat(session.adaptive()).isFalse();
    }
  }
}
