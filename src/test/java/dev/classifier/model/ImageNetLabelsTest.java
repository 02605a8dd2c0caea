package dev.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageNetLabelsTest {

  static final Path LABELS = Path.of("models", "imagenet-labels.tsv");

  @Test
  void thousandUniqueSortedWordNetIdsInClassOrder() {
    List<ImageNetLabel> labels = ImageNetLabels.load(LABELS);
    assertThat(labels).hasSize(1000);
    List<String> wnids = labels.stream().map(ImageNetLabel::wnid).toList();
    assertThat(new HashSet<>(wnids)).hasSize(1000);
    assertThat(wnids).isSorted();
    for (int i = 0; i < labels.size(); i++) {
      assertThat(labels.get(i).index()).isEqualTo(i);
    }
  }

  @Test
  void knownClassesSitAtTheirKerasIndices() {
    List<ImageNetLabel> labels = ImageNetLabels.load(LABELS);
    assertThat(labels.get(0)).isEqualTo(new ImageNetLabel(0, "n01440764", "tench"));
    assertThat(labels.get(281)).isEqualTo(new ImageNetLabel(281, "n02123045", "tabby"));
    assertThat(labels.get(619)).isEqualTo(new ImageNetLabel(619, "n03637318", "lampshade"));
    assertThat(labels.get(765)).isEqualTo(new ImageNetLabel(765, "n04099969", "rocking chair"));
    assertThat(labels.get(999)).isEqualTo(new ImageNetLabel(999, "n15075141", "toilet tissue"));
  }

  @Test
  void malformedLineIsReportedWithItsLineNumber(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("labels.tsv");
    Files.writeString(file, "# header\n0\tn01440764\ttench\n1 n01443537 goldfish\n");
    assertThatThrownBy(() -> ImageNetLabels.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("index<TAB>wnid<TAB>name");
  }

  @Test
  void outOfOrderOrShortFilesAreRejected(@TempDir Path dir) throws Exception {
    Path skipped = dir.resolve("skipped.tsv");
    Files.writeString(skipped, "0\tn01440764\ttench\n2\tn01484850\tgreat white shark\n");
    assertThatThrownBy(() -> ImageNetLabels.load(skipped))
        .hasMessageContaining("expected class index 1, found 2");
    Path shortFile = dir.resolve("short.tsv");
    Files.writeString(shortFile, "0\tn01440764\ttench\n");
    assertThatThrownBy(() -> ImageNetLabels.load(shortFile))
        .hasMessageContaining("expected 1000 classes, found 1");
    Path badId = dir.resolve("bad.tsv");
    Files.writeString(badId, "0\t01440764\ttench\n");
    assertThatThrownBy(() -> ImageNetLabels.load(badId)).hasMessageContaining("not a WordNet id");
  }
}
