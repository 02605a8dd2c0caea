package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import dev.classifier.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on real ONNX Runtime sessions of tiny models whose top class is known from the input.
 */
class InferenceEngineTest {

  private static final int SIZE = 8;
  private static final int CLASSES = 1000;

  @TempDir Path dir;

  private InferenceEngine open(Path model, ExecutionProvider provider, OutputKind output) {
    return open(model, provider, output, Optional.empty(), Optional.empty());
  }

  private InferenceEngine open(
      Path model,
      ExecutionProvider provider,
      OutputKind output,
      Optional<Normalization> scaling,
      Optional<String> featureOutput) {
    return InferenceEngine.open(
        model,
        new EngineSettings(
            "tiny",
            new SessionSettings(provider, 0, ThreadBudget.of(2, 1, 1), Spinning.OFF),
            new BatchSettings(4, Duration.ZERO, 8, 1),
            output,
            Duration.ofSeconds(10),
            scaling,
            featureOutput),
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

  private static InferenceResult classify(InferenceEngine engine, float[] pixels, boolean features)
      throws Exception {
    try (Inference.Admission admission = engine.admit(1)) {
      return admission
          .submit(
              pixels,
              features,
              Deadline.after(Duration.ofSeconds(10), System.nanoTime()),
              () -> false)
          .get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void whatTheModelIsIsReadOnceFromTheFile() {
    try (InferenceEngine engine =
        open(model(TinyModels.Layout.NHWC, true), ExecutionProvider.CPU, OutputKind.AUTO)) {
      ModelInfo info = engine.model();
      assertThat(engine.model()).isSameAs(info);
      ModelSignature signature = info.signature();
      assertThat(signature.inputName()).isEqualTo("input_1");
      assertThat(signature.inputShape()).containsExactly(-1, SIZE, SIZE, 3);
      assertThat(signature.outputName()).isEqualTo("predictions");
      assertThat(signature.classes()).isEqualTo(CLASSES);
      assertThat(info.input())
          .isEqualTo(new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF));
      assertThat(info.name()).isEqualTo("tiny");
      assertThat(info.file()).isEqualTo("tiny.onnx");
      assertThat(info.weightsSource()).isEqualTo("synthetic:7");
      assertThat(info.synthetic()).isTrue();
      assertThat(info.precision()).isEqualTo("fp32");
      assertThat(info.metadata().builderVersion()).isEqualTo("tiny-test");
      assertThat(info.sha256()).hasSize(64);
      assertThat(info.provider()).isEqualTo("CPU");
      assertThat(info.outputKind()).isEqualTo(OutputKind.PROBABILITIES);
      assertThat(info.explanations()).isFalse();
    }
  }

  @Test
  void probabilitiesFromAnNhwcModelRankTheExpectedClassFirst() throws Exception {
    try (InferenceEngine engine =
        open(model(TinyModels.Layout.NHWC, true), ExecutionProvider.CPU, OutputKind.AUTO)) {
      engine.warmedUp();
      InferenceResult result = classify(engine, solidRed(51, TensorLayout.NHWC), false);

      assertThat(Scores.topK(result.scores(), 1))
          .containsExactly(TinyModels.expectedTop1(51, CLASSES));
      assertThat(TinyModels.expectedTop1(51, CLASSES)).isEqualTo(200);
      assertThat(sum(result.scores())).isCloseTo(1.0, within(1e-4));
      assertThat(result.features()).isNull();
    }
  }

  @Test
  void logitsAreDetectedAtLoadAndTurnedIntoProbabilities() throws Exception {
    try (InferenceEngine engine =
        open(model(TinyModels.Layout.NHWC, false), ExecutionProvider.CPU, OutputKind.AUTO)) {
      assertThat(engine.model().outputKind()).isEqualTo(OutputKind.LOGITS);
      engine.warmedUp();

      InferenceResult result = classify(engine, solidRed(255, TensorLayout.NHWC), false);

      assertThat(Scores.topK(result.scores(), 1)).containsExactly(999);
      assertThat(sum(result.scores())).isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  void nchwModelIsDetectedFromItsInputShape() throws Exception {
    try (InferenceEngine engine =
        open(model(TinyModels.Layout.NCHW, true), ExecutionProvider.CPU, OutputKind.AUTO)) {
      assertThat(engine.model().signature().layout()).isEqualTo(TensorLayout.NCHW);
      assertThat(engine.model().signature().inputShape()).containsExactly(-1, 3, SIZE, SIZE);
      engine.warmedUp();

      assertThat(Scores.topK(classify(engine, solidRed(0, TensorLayout.NCHW), false).scores(), 1))
          .containsExactly(0);
    }
  }

  @Test
  void theFeatureMapComesBackOnlyWhenAskedFor() throws Exception {
    Path cnn =
        TinyModels.writeCnn(
            dir.resolve("cnn.onnx"), TinyModels.Layout.NHWC, SIZE, CLASSES, true, "synthetic:7");
    try (InferenceEngine engine =
        open(
            cnn,
            ExecutionProvider.CPU,
            OutputKind.AUTO,
            Optional.empty(),
            Optional.of("features"))) {
      assertThat(engine.model().signature().featureOutput().orElseThrow().name())
          .isEqualTo("features");
      assertThat(engine.model().explanations()).isTrue();
      engine.warmedUp();

      InferenceResult plain = classify(engine, solidRed(102, TensorLayout.NHWC), false);
      InferenceResult explained = classify(engine, solidRed(102, TensorLayout.NHWC), true);

      assertThat(plain.features()).isNull();
      assertThat(Scores.topK(explained.scores(), 1)).containsExactly(400);
      assertThat(explained.scores()).containsExactly(plain.scores());
      // [2, SIZE, SIZE] row-major: red + 1 everywhere, then blue + 1 = 2 everywhere
      assertThat(explained.features()).hasSize(2 * SIZE * SIZE);
      assertThat(explained.features()[0]).isEqualTo(102 / 127.5f);
      assertThat(explained.features()[SIZE * SIZE]).isEqualTo(2f);
    }
  }

  @Test
  void aCnnWithoutItsFeatureOutputCannotBeExplained() {
    Path cnn =
        TinyModels.writeCnn(
            dir.resolve("cnn.onnx"), TinyModels.Layout.NHWC, SIZE, CLASSES, false, "synthetic:7");
    try (InferenceEngine engine =
        open(
            cnn,
            ExecutionProvider.CPU,
            OutputKind.AUTO,
            Optional.empty(),
            Optional.of("features"))) {
      assertThat(engine.model().signature().featureOutput()).isEmpty();
      assertThat(engine.model().explanations()).isFalse();
    }
  }

  @Test
  void requestsAreRefusedUntilWarmedUp() {
    try (InferenceEngine engine =
        open(model(TinyModels.Layout.NHWC, true), ExecutionProvider.CPU, OutputKind.AUTO)) {
      assertThat(engine.ready()).isFalse();
      assertThatThrownBy(() -> engine.admit(1))
          .isInstanceOfSatisfying(
              RejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(RejectedException.Reason.NOT_READY));
      engine.admitForWarmUp(1).close();
      engine.warmedUp();
      assertThat(engine.ready()).isTrue();
      assertThat(engine.healthy()).isTrue();
    }
  }

  @Test
  void aModelThatDoesNotSayHowItsInputIsScaledIsRefusedUnlessConfigured() throws Exception {
    Path tiny = model(TinyModels.Layout.NHWC, true);
    Path foreign = dir.resolve("foreign.onnx");
    Files.write(
        foreign,
        ModelProto.parseFrom(Files.readAllBytes(tiny)).toBuilder()
            .clearMetadataProps()
            .build()
            .toByteArray());

    assertThatThrownBy(() -> open(foreign, ExecutionProvider.CPU, OutputKind.AUTO))
        .isInstanceOf(InferenceException.class)
        .hasMessage(
            "the model does not record how its input is preprocessed (metadata 'preprocessing');"
                + " set classifier.model.preprocessing to tf, torch, caffe or raw");
    try (InferenceEngine engine =
        open(
            foreign,
            ExecutionProvider.CPU,
            OutputKind.AUTO,
            Optional.of(Normalization.TORCH),
            Optional.empty())) {
      assertThat(engine.model().input().normalization()).isEqualTo(Normalization.TORCH);
      assertThat(engine.model().weightsSource()).isEqualTo("unknown");
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
  void autoFallsBackToTheCpu() throws Exception {
    try (InferenceEngine engine =
        open(model(TinyModels.Layout.NHWC, true), ExecutionProvider.AUTO, OutputKind.AUTO)) {
      assertThat(engine.model().provider()).isEqualTo("CPU");
      engine.warmedUp();
      assertThat(classify(engine, solidRed(128, TensorLayout.NHWC), false).scores())
          .hasSize(CLASSES);
    }
  }

  @Test
  void aFileThatIsNotAModelFailsNamingTheFile() throws Exception {
    Path bogus = Files.writeString(dir.resolve("bogus.onnx"), "not a model");
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
