package dev.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelProvisionerTest {

  @TempDir Path dir;

  private final List<Long> built = new ArrayList<>();

  private final ModelProvisioner provisioner =
      new ModelProvisioner(
          (seed, output) -> {
            built.add(seed);
            try {
              Files.createDirectories(output.getParent());
              Files.writeString(output, "model " + seed);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });

  @Test
  void absentModelIsBuiltWithTheSeedOnceAndThenReused() throws Exception {
    Path model = dir.resolve("models/xception.onnx");

    assertThat(provisioner.ensure(model, 7)).isEqualTo(model);
    assertThat(built).containsExactly(7L);
    assertThat(Files.readString(model)).isEqualTo("model 7");

    assertThat(provisioner.ensure(model, 99)).isEqualTo(model);
    assertThat(built).as("an existing file wins over the seed").containsExactly(7L);
    assertThat(Files.readString(model)).isEqualTo("model 7");
  }
}
