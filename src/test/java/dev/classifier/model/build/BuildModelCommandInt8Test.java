package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build-model's INT8 arguments: refused before any work, with the reason and the usage. */
class BuildModelCommandInt8Test {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final BuildModelCommand command =
      new BuildModelCommand(new PrintStream(out, true), new PrintStream(err, true));

  @Test
  void calibrationOptionsNeedInt8() {
    assertThat(command.run("--synthetic", "--calibration", dir.toString())).isEqualTo(2);
    assertThat(command.run("--synthetic", "--percentile", "99.9")).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "build-model: --calibration, --calibration-images and --percentile need --precision int8")
        .contains("usage: build-model");
  }

  @Test
  void badValuesAreNamed() {
    assertThat(command.run("--synthetic", "--precision", "int4")).isEqualTo(2);
    assertThat(command.run("--synthetic", "--precision", "int8", "--percentile", "50"))
        .isEqualTo(2);
    assertThat(command.run("--synthetic", "--precision", "int8", "--percentile", "x")).isEqualTo(2);
    assertThat(command.run("--synthetic", "--precision", "int8", "--calibration-images", "0"))
        .isEqualTo(2);
    assertThat(command.run("--synthetic", "--precision", "int8", "--calibration-images", "2000"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--precision must be fp32 or int8: int4",
            "--percentile must be in (50, 100]: 50",
            "--percentile must be in (50, 100]: x",
            "--calibration-images must be 1 to 100000: 0",
            "at most 1024 generated calibration images");
  }

  @Test
  void aMissingOrEmptyCalibrationFolderFailsWithoutWritingAModel() throws Exception {
    Path output = dir.resolve("x.onnx");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThat(
            command.run(
                "--synthetic",
                "--precision",
                "int8",
                "--calibration",
                dir.resolve("missing").toString(),
                "--output",
                output.toString()))
        .isEqualTo(1);
    assertThat(
            command.run(
                "--synthetic",
                "--precision",
                "int8",
                "--calibration",
                empty.toString(),
                "--output",
                output.toString()))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("build-model: no such folder: " + dir.resolve("missing"))
        .contains("build-model: no files in " + empty);
    assertThat(output).doesNotExist();
  }

  @Test
  void helpShowsTheInt8Options() {
    assertThat(command.run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "[--precision fp32|int8]",
            "[--calibration <folder>]",
            "default 256 from a folder, 32 generated",
            "default 99.999");
  }
}
