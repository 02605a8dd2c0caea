package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.classifier.image.TensorLayout;
import dev.classifier.testing.TinyModels;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier on real ONNX Runtime sessions of tiny models whose top class is known from the
 * input.
 */
class ClassifierTest {

  private static final int SIZE = 8;
  private static final int CLASSES = 1000;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private Classifier open(Path model, ExecutionProvider provider, OutputKind output) {
    return Classifier.open(
        model,
        new SessionSettings(provider, 0, ThreadBudget.of(2, 1, 1), false),
        new BatchSettings(4, Duration.ZERO, 8, 1),
        output,
        BatchListener.NONE);
  }

  private Path model(TinyModels.Layout layout, boolean softmax) {
    return TinyModels.write(
        dir.resolve("tiny.onnx"), layout, SIZE, CLASSES, softmax, "synthetic:7");
  }

  /**
   * A solid image of the given red value, normalised as the image pipeline does, in the given
   * layout.
   */
  private static float[] solidRed(int red, TensorLayout layout) {
    float[] pixels = new float[3 * SIZE * SIZE];
    float r = red / 127.5f - 1f;
    for (int i = 0; i < SIZE * SIZE; i++) {
      if (layout == TensorLayout.NHWC) {
        pixels[i * 3] = r;
        pixels[i * 3 + 1] = -1f;
        pixels[i * 3 + 2] = 1f;
      } else {
        pixels[i] = r;
        pixels[SIZE * SIZE + i] = -1f;
        pixels[2 * SIZE * SIZE + i] = 1f;
      }
    }
    return pixels;
  }

  @Test
  void nhwcModelSignatureAndMetadataAreReadFromTheFile() {
    try (Classifier classifier =
        open(model(TinyModels.Layout.NHWC, true), ExecutionProvider.CPU, OutputKind.AUTO)) {
      ModelSignature signature = classifier.signature();
      assertThat(signature.inputName()).isEqualTo("input_1");
      assertThat(signature.inputShape()).containsExactly(-1, SIZE, SIZE, 3);
      assertThat(signature.layout()).isEqualTo(TensorLayout.NHWC);
      assertThat(signature.outputName()).isEqualTo("predictions");
      assertThat(signature.classes()).isEqualTo(CLASSES);
      assertThat(classifier.info().weightsSource()).isEqualTo("synthetic:7");
      assertThat(classifier.info().synthetic()).isTrue();
      assertThat(classifier.info().builderVersion()).isEqualTo("tiny-test");
      assertThat(classifier.info().sha256()).hasSize(64);
      assertThat(classifier.info().provider()).isEqualTo("CPU");
    }
  }

  @Test
  void probabilitiesFromAnNhwcModelRankTheExpectedClassFirst() {
    try (Classifier classifier =
        open(model(TinyModels.Layout.NHWC, true), ExecutionProvider.CPU, OutputKind.AUTO)) {
      classifier.warmUp();
      assertThat(classifier.info().outputKind()).isEqualTo(OutputKind.PROBABILITIES);

      InferenceResult result =
          Classifier.await(classifier.submit(solidRed(51, TensorLayout.NHWC), TIMEOUT), TIMEOUT);

      assertThat(Scores.topK(result.scores(), 1))
          .containsExactly(TinyModels.expectedTop1(51, CLASSES));
      assertThat(TinyModels.expectedTop1(51, CLASSES)).isEqualTo(200);
      assertThat(sum(result.scores())).isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  void logitsAreDetectedAtWarmUpAndTurnedIntoProbabilities() {
    try (Classifier classifier =
        open(model(TinyModels.Layout.NHWC, false), ExecutionProvider.CPU, OutputKind.AUTO)) {
      classifier.warmUp();
      assertThat(classifier.info().outputKind()).isEqualTo(OutputKind.LOGITS);

      InferenceResult result =
          Classifier.await(classifier.submit(solidRed(255, TensorLayout.NHWC), TIMEOUT), TIMEOUT);

      assertThat(Scores.topK(result.scores(), 1)).containsExactly(999);
      assertThat(sum(result.scores())).isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  void nchwModelIsDetectedFromItsInputShape() {
    try (Classifier classifier =
        open(model(TinyModels.Layout.NCHW, true), ExecutionProvider.CPU, OutputKind.AUTO)) {
      assertThat(classifier.signature().layout()).isEqualTo(TensorLayout.NCHW);
      assertThat(classifier.signature().inputShape()).containsExactly(-1, 3, SIZE, SIZE);
      classifier.warmUp();

      InferenceResult result =
          Classifier.await(classifier.submit(solidRed(0, TensorLayout.NCHW), TIMEOUT), TIMEOUT);

      assertThat(Scores.topK(result.scores(), 1)).containsExactly(0);
    }
  }

  @Test
  void requestsAreRefusedUntilWarmUpHasRun() {
    try (Classifier classifier =
        open(model(TinyModels.Layout.NHWC, true), ExecutionProvider.CPU, OutputKind.AUTO)) {
      assertThat(classifier.ready()).isFalse();
      assertThatThrownBy(() -> classifier.submit(solidRed(1, TensorLayout.NHWC), TIMEOUT))
          .isInstanceOfSatisfying(
              RejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(RejectedException.Reason.NOT_READY));
      classifier.warmUp();
      assertThat(classifier.ready()).isTrue();
    }
  }

  @Test
  void cudaOnABuildWithoutItFailsWithWhatIsMissing() {
    Path model = model(TinyModels.Layout.NHWC, true);
    assertThatThrownBy(() -> open(model, ExecutionProvider.CUDA, OutputKind.AUTO))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining(
            "classifier.inference.provider=cuda, but the CUDA execution provider could not be "
                + "created for device 0")
        .hasMessageContaining("has no CUDA provider, only [CPU]")
        .hasMessageContaining("CUDA 12.x and cuDNN 9.x")
        .hasMessageContaining("onnxruntime_gpu");
  }

  @Test
  void autoFallsBackToTheCpu() {
    try (Classifier classifier =
        open(model(TinyModels.Layout.NHWC, true), ExecutionProvider.AUTO, OutputKind.AUTO)) {
      assertThat(classifier.info().provider()).isEqualTo("CPU");
      classifier.warmUp();
      assertThat(
              Classifier.await(
                      classifier.submit(solidRed(128, TensorLayout.NHWC), TIMEOUT), TIMEOUT)
                  .scores())
          .hasSize(CLASSES);
    }
  }

  @Test
  void aFileThatIsNotAModelFailsNamingTheFile() throws Exception {
    Path bogus = java.nio.file.Files.writeString(dir.resolve("bogus.onnx"), "not a model");
    assertThatThrownBy(() -> open(bogus, ExecutionProvider.CPU, OutputKind.AUTO))
        .isInstanceOf(InferenceException.class)
        .hasMessageStartingWith("cannot load model " + bogus);
  }

  private static double sum(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum;
  }
}
