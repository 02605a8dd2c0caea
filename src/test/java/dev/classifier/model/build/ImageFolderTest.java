package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import dev.classifier.testing.TestImages;
import java.awt.Color;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

  @TempDir Path dir;

  @Test
  void usesTheFirstFilesByNameSkippingHiddenFilesAndFolders() throws Exception {
    Files.write(dir.resolve("b.png"), TestImages.solid(8, 8, Color.RED, "png"));
    Files.write(dir.resolve("a.png"), TestImages.solid(8, 8, Color.BLUE, "png"));
    Files.write(dir.resolve(".hidden.png"), TestImages.solid(8, 8, Color.RED, "png"));
    Files.writeString(dir.resolve("c.txt"), "text");
    Files.createDirectory(dir.resolve("sub"));

    ImageFolder folder = new ImageFolder(dir, 2);

    assertThat(folder.found()).isEqualTo(3);
    assertThat(folder.files()).containsExactly(dir.resolve("a.png"), dir.resolve("b.png"));
  }

  @Test
  void filesOverTheSizeLimitAreSkippedBeforeBeingRead() throws Exception {
    try (RandomAccessFile big = new RandomAccessFile(dir.resolve("big.png").toFile(), "rw")) {
      big.setLength(ImageFolder.MAX_FILE_BYTES + 1); // sparse: costs no disk
    }
    Files.write(dir.resolve("small.png"), TestImages.solid(8, 8, Color.RED, "png"));
    List<String> skipped = new ArrayList<>();
    List<Path> used = new ArrayList<>();

    int count =
        new ImageFolder(dir, 10)
            .forEach(
                new InputSpec(4, 4, TensorLayout.NHWC, Normalization.TF),
                (file, pixels) -> used.add(file),
                skipped::add);

    assertThat(count).isEqualTo(1);
    assertThat(used).containsExactly(dir.resolve("small.png"));
    assertThat(skipped).containsExactly("skipped big.png: larger than 64 MiB");
  }

  @Test
  void aFolderThatIsMissingOrEmptyOrALimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new ImageFolder(dir.resolve("none"), 1))
        .hasMessage("no such folder: " + dir.resolve("none"));
    assertThatThrownBy(() -> new ImageFolder(dir, 1)).hasMessage("no files in " + dir);
    assertThatThrownBy(() -> new ImageFolder(dir, 0))
        .hasMessage("the image limit must be at least 1: 0");
  }
}
