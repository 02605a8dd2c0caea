package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.testing.TinyModels;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature output is fetched only for images that ask for it: the batcher tells the runner, the
 * session requests exactly those outputs, and each result carries its own image's map.
 */
class FeatureFetchTest {

  private static final int SIZE = 4;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  /** A runner answering each image with its first value, recording whether features were asked. */
  private static final class RecordingRunner implements BatchRunner {
    final List<Boolean> calls = new CopyOnWriteArrayList<>();

    @Override
    public float[][] run(FloatBuffer input, int batchSize) {
      calls.add(false);
      return rows(input, batchSize);
    }

    @Override
    public BatchOutput run(FloatBuffer input, int batchSize, boolean features) {
      calls.add(features);
      FeatureMap[] maps = new FeatureMap[batchSize];
      for (int i = 0; i < batchSize; i++) {
        maps[i] = new FeatureMap(new float[] {input.get(i * 2)}, new int[] {1, 1, 1});
      }
      return new BatchOutput(rows(input, batchSize), maps);
    }

    private static float[][] rows(FloatBuffer input, int batchSize) {
      float[][] rows = new float[batchSize][1];
      for (int i = 0; i < batchSize; i++) {
        rows[i][0] = input.get(i * 2);
      }
      return rows;
    }
  }

  @Test
  void aBatchFetchesFeaturesOnlyWhenOneOfItsImagesAskedAndOnlyThatOneGetsThem() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    // A batch of exactly two: the worker waits (up to a minute) until both are queued.
    try (BatchScheduler scheduler =
        new BatchScheduler(
            new BatchSettings(2, Duration.ofMinutes(1), 4, 1),
            2,
            runner,
            System::nanoTime,
            BatchListener.NONE)) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      var plain1 = scheduler.submit(new float[] {1, 0}, deadline);
      var plain2 = scheduler.submit(new float[] {2, 0}, deadline, false);
      assertThat(plain1.get(10, TimeUnit.SECONDS).features()).isNull();
      assertThat(plain2.get(10, TimeUnit.SECONDS).features()).isNull();

      var plain = scheduler.submit(new float[] {3, 0}, deadline);
      var explained = scheduler.submit(new float[] {4, 0}, deadline, true);
      assertThat(plain.get(10, TimeUnit.SECONDS).features()).isNull();
      InferenceResult withFeatures = explained.get(10, TimeUnit.SECONDS);
      assertThat(withFeatures.scores()).containsExactly(4f);
      assertThat(withFeatures.features().values()).containsExactly(4f);
    }
    assertThat(runner.calls).containsExactly(false, true);
  }

  @Test
  void theClassifierReturnsTheModelsFeatureMapOnlyWhenAsked() {
    Path model =
        TinyModels.writeCnn(
            dir.resolve("cnn.onnx"), TinyModels.Layout.NHWC, SIZE, 1000, true, "synthetic:7");
    try (Classifier classifier = open(model, "features")) {
      classifier.warmUp();
      float[] pixels = new float[SIZE * SIZE * 3];
      for (int i = 0; i < SIZE * SIZE; i++) {
        pixels[i * 3] = i / 16f; // red rises along the rows
      }

      InferenceResult plain = Classifier.await(classifier.submit(pixels, TIMEOUT), TIMEOUT);
      InferenceResult explained =
          Classifier.await(classifier.submit(pixels, TIMEOUT, true), TIMEOUT);

      assertThat(plain.features()).isNull();
      assertThat(explained.features().shape()).containsExactly(2, SIZE, SIZE);
      // channel 0 is red + 1 at each position, channel 1 blue + 1
      assertThat(explained.features().values()[5]).isEqualTo(5 / 16f + 1);
      assertThat(explained.features().values()[SIZE * SIZE + 5]).isEqualTo(1f);
      assertThat(explained.scores()).containsExactly(plain.scores());
    }
  }

  @Test
  void featuresCannotBeAskedOfAClassifierWithoutAFeatureOutput() {
    Path model =
        TinyModels.writeCnn(
            dir.resolve("cnn.onnx"), TinyModels.Layout.NHWC, SIZE, 1000, true, "synthetic:7");
    try (Classifier classifier = open(model, null)) {
      classifier.warmUp();
      assertThatThrownBy(() -> classifier.submit(new float[SIZE * SIZE * 3], TIMEOUT, true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("this classifier was opened without a feature output");
    }
    assertThatThrownBy(() -> open(model, "block14_sepconv2_act"))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("has no output 'block14_sepconv2_act' to explain with");
  }

  private static Classifier open(Path model, String featureOutput) {
    return Classifier.open(
        model,
        new SessionSettings(ExecutionProvider.CPU, 0, ThreadBudget.of(2, 1, 1), false),
        new BatchSettings(1, Duration.ZERO, 4, 1),
        OutputKind.AUTO,
        BatchListener.NONE,
        featureOutput);
  }
}
