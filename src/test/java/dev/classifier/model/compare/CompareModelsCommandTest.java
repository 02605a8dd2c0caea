package dev.classifier.model.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import dev.classifier.model.build.ImageFolder;
import dev.classifier.model.build.OrtRuntime;
import dev.classifier.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareModelsCommandTest {

  private static final int SIZE = 16;

  @TempDir static Path dir;
  static Path images;
  static Path reference;
  static Path candidate;

  @BeforeAll
  static void modelsAndImages() throws IOException {
    images = Files.createDirectories(dir.resolve("images"));
    int[] reds = {30, 120, 210};
    for (int i = 0; i < reds.length; i++) {
      BufferedImage image = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 48; x++) {
          image.setRGB(x, y, reds[i] << 16 | (x * 5) << 8 | y * 7);
        }
      }
      ImageIO.write(image, "png", images.resolve("photo-" + i + ".png").toFile());
    }
    Files.writeString(images.resolve("readme.txt"), "not an image");
    reference =
        ConstantModels.write(
            dir.resolve("reference.onnx"), SIZE, new float[] {0.5f, 0.3f, 0.2f}, "fp32");
    candidate =
        ConstantModels.write(
            dir.resolve("candidate.onnx"), SIZE, new float[] {0.3f, 0.5f, 0.2f}, "int8");
  }

  private record Run(int code, String out, String err) {}

  private static Run compare(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new CompareModelsCommand(new PrintStream(out, true), new PrintStream(err, true)).run(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void twoKnownModelsGiveTheFiguresComputedByHand() {
    Run run =
        compare(
            "--reference", reference.toString(),
            "--candidate", candidate.toString(),
            "--images", images.toString(),
            "--threads", "2",
            "--preprocessing", "tf");

    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "skipped readme.txt: not an image in a supported format (jpeg, png, gif, bmp, webp,"
                + " tiff)");
    assertThat(lines.get(1))
        .startsWith("compare-models: 3 images from " + images + " (1 skipped), input 16x16 NHWC, ")
        .contains("2 intra-op threads");
    assertThat(lines.get(3))
        .isEqualTo("           precision size      session start  file (weights)");
    assertThat(lines.get(4))
        .matches(
            "reference  fp32      0\\.0 MB    \\d+ ms +\\Q"
                + reference
                + "\\E \\(test:constant\\)");
    assertThat(lines.get(5))
        .matches(
            "candidate  int8      0\\.0 MB    \\d+ ms +\\Q"
                + candidate
                + "\\E \\(test:constant\\)");
    // KL = 0.5 ln(0.5 / 0.3) + 0.3 ln(0.3 / 0.5) = 0.2 ln(5/3) = 0.1022; max |dp| = 0.5 - 0.3
    assertThat(lines.subList(7, 12))
        .containsExactly(
            "                  candidate vs reference   reference +-1 grey level",
            "top-1 agreement   0/3 (0.0 %)              3/3 (100.0 %)",
            "top-5 overlap     100.0 %                  100.0 %",
            "mean KL (nats)    0.1022                   0",
            "max |dp|          0.2000                   0");
    assertThat(lines.get(13))
        .matches(
            "speed, batch 1, median of 3 interleaved runs: reference \\d+\\.\\d ms, candidate"
                + " \\d+\\.\\d ms, ratio \\d+\\.\\d\\d \\(reference time / candidate time\\)");
  }

  @Test
  void theNoiseBaselineMovesTheReferenceWhileTheSameModelAgreesExactly() throws Exception {
    Path tiny =
        TinyModels.write(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, SIZE, 1000, true, "synthetic:7");
    OrtRuntime runtime = OrtRuntime.create(2);
    List<String> skipped = new ArrayList<>();
    ModelComparer.Outcome outcome;
    try (ScoredSession a = ScoredSession.open(runtime, tiny);
        ScoredSession b = ScoredSession.open(runtime, tiny)) {
      outcome =
          ModelComparer.compare(
              a,
              b,
              new ImageFolder(images, 10),
              new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF),
              skipped::add);
    }

    assertThat(outcome.candidate()).isEqualTo(new Agreement.Figures(3, 3, 1.0, 0.0, 0.0));
    assertThat(outcome.noiseBaseline().maxAbsDiff()).as("the noise reached the model").isPositive();
    assertThat(outcome.noiseBaseline().meanKl()).isPositive();
    assertThat(outcome.referenceNanos()).hasSize(3);
    assertThat(java.util.Arrays.stream(outcome.candidateNanos()).min().orElseThrow()).isPositive();
    assertThat(skipped).hasSize(1);
  }

  @Test
  void noiseMovesEveryValueOneGreyLevelWithinTheRange() {
    float[] pixels = {-1f, 1f, 0f, 0.5f, -0.25f, 0.1f};
    float[] noisy = ModelComparer.noisy(pixels, 3);
    for (int i = 0; i < pixels.length; i++) {
      double step = Math.abs(noisy[i] - pixels[i]);
      if (noisy[i] == -1f || noisy[i] == 1f) {
        assertThat(step).isIn(0.0, (double) ModelComparer.GREY_LEVEL);
      } else {
        assertThat(step).isCloseTo(1 / 127.5, org.assertj.core.data.Offset.offset(1e-6));
      }
    }
    assertThat(ModelComparer.noisy(pixels, 3)).as("deterministic").isEqualTo(noisy);
    assertThat(ModelComparer.noisy(new float[64], 4))
        .isNotEqualTo(ModelComparer.noisy(new float[64], 5));
  }

  @Test
  void argumentsAndInputsThatCannotBeComparedAreRefusedWithTheReason() throws IOException {
    Run missing = compare("--reference", reference.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .startsWith("compare-models: --reference, --candidate and --images are required")
        .contains("usage: compare-models");

    Run noFile =
        compare(
            "--reference", dir.resolve("nope.onnx").toString(),
            "--candidate", candidate.toString(),
            "--images", images.toString());
    assertThat(noFile.code()).isEqualTo(1);
    assertThat(noFile.err())
        .isEqualTo("compare-models: no such file " + dir.resolve("nope.onnx") + "\n");

    Path other =
        ConstantModels.write(
            dir.resolve("other-size.onnx"), 8, new float[] {0.5f, 0.3f, 0.2f}, "fp32");
    // Fed the wrong scaling a model answers confident nonsense: no silent default.
    Run unscaled =
        compare(
            "--reference", reference.toString(),
            "--candidate", candidate.toString(),
            "--images", images.toString());
    assertThat(unscaled.code()).isEqualTo(1);
    assertThat(unscaled.err())
        .isEqualTo(
            "compare-models: the reference model records no preprocessing in its metadata; give"
                + " --preprocessing tf, torch, caffe or raw\n");

    Run mismatch =
        compare(
            "--reference", reference.toString(),
            "--candidate", other.toString(),
            "--images", images.toString(),
            "--preprocessing", "tf");
    assertThat(mismatch.code()).isEqualTo(1);
    assertThat(mismatch.err())
        .isEqualTo("compare-models: the models take different inputs: 16x16 NHWC and 8x8 NHWC\n");
  }

  /**
   * The command as a user starts it, in a JVM of its own: dispatched by the application's main
   * without Spring, and with ONNX Runtime's thread pool shared, since nothing in that process
   * touched ONNX Runtime before the command.
   */
  @Test
  void inItsOwnProcessTheCommandSharesOneThreadPool() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder command =
        new ProcessBuilder(
            java.toString(),
            "dev.classifier.ClassifierApplication",
            "compare-models",
            "--reference",
            reference.toString(),
            "--candidate",
            reference.toString(),
            "--images",
            images.toString(),
            "--threads",
            "2",
            "--preprocessing",
            "tf");
    // the class path goes in the environment: ONNX Runtime 1.29 crashes the JVM when the command
    // line is longer than 4 KB
    command.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    Process p = command.redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output)
        .contains(
            "input 16x16 NHWC, one pool of 2 intra-op threads shared by all sessions",
            "top-1 agreement   3/3 (100.0 %)            3/3 (100.0 %)");
  }
}
