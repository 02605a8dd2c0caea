package dev.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelSetTest {

  static final Path IMAGENET = Path.of("models", "imagenet-labels.tsv");

  @Test
  void imageNetHasAThousandUniqueSortedWordNetIdsInClassOrder() {
    LabelSet labels = LabelSet.load(IMAGENET);
    assertThat(labels.size()).isEqualTo(1000);
    List<String> wnids = labels.all().stream().map(ClassLabel::id).toList();
    assertThat(new HashSet<>(wnids)).hasSize(1000);
    assertThat(wnids).isSorted().allMatch(id -> id.matches("n\\d{8}"));
    for (int i = 0; i < labels.size(); i++) {
      assertThat(labels.get(i).index()).isEqualTo(i);
    }
  }

  @Test
  void withoutTheFileImageNetsNamesComeFromTheClassPathCopy(@TempDir Path dir) {
    LabelSet bundled = LabelSet.imagenet(dir.resolve("models").resolve("imagenet-labels.tsv"));

    assertThat(bundled).isEqualTo(LabelSet.load(IMAGENET));
    assertThat(LabelSet.imagenet(IMAGENET)).isEqualTo(LabelSet.load(IMAGENET));
  }

  @Test
  void knownImageNetClassesSitAtTheirKerasIndices() {
    LabelSet labels = LabelSet.load(IMAGENET);
    assertThat(labels.get(0)).isEqualTo(new ClassLabel(0, "n01440764", "tench"));
    assertThat(labels.get(281)).isEqualTo(new ClassLabel(281, "n02123045", "tabby"));
    assertThat(labels.get(619)).isEqualTo(new ClassLabel(619, "n03637318", "lampshade"));
    assertThat(labels.get(765)).isEqualTo(new ClassLabel(765, "n04099969", "rocking chair"));
    assertThat(labels.get(999)).isEqualTo(new ClassLabel(999, "n15075141", "toilet tissue"));
  }

  @Test
  void anyNumberOfClassesWithOrWithoutAnIdColumn(@TempDir Path dir) throws Exception {
    Path twoColumns = Files.writeString(dir.resolve("cats.tsv"), "0\tcat\n1\tdog\n2\tbird\n");
    assertThat(LabelSet.load(twoColumns).all())
        .containsExactly(
            new ClassLabel(0, null, "cat"),
            new ClassLabel(1, null, "dog"),
            new ClassLabel(2, null, "bird"));
    Path threeColumns = Files.writeString(dir.resolve("ids.tsv"), "# a comment\n0\tc-1\tcat\n");
    assertThat(LabelSet.load(threeColumns).all()).containsExactly(new ClassLabel(0, "c-1", "cat"));
  }

  @Test
  void malformedLineIsReportedWithItsLineNumber(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("labels.tsv");
    Files.writeString(file, "# header\n0\tn01440764\ttench\n1 n01443537 goldfish\n");
    assertThatThrownBy(() -> LabelSet.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("index<TAB>id<TAB>name");
  }

  @Test
  void outOfOrderMixedOrEmptyFilesAreRejected(@TempDir Path dir) throws Exception {
    Path skipped =
        Files.writeString(dir.resolve("skipped.tsv"), "0\tn01440764\ttench\n2\tn01484850\tshark\n");
    assertThatThrownBy(() -> LabelSet.load(skipped))
        .hasMessageContaining("expected class index 1, found 2");
    Path mixed = Files.writeString(dir.resolve("mixed.tsv"), "0\tn01440764\ttench\n1\tgoldfish\n");
    assertThatThrownBy(() -> LabelSet.load(mixed))
        .hasMessageContaining("line 2")
        .hasMessageContaining("has 2 columns, earlier lines have 3");
    Path empty = Files.writeString(dir.resolve("empty.tsv"), "# nothing\n");
    assertThatThrownBy(() -> LabelSet.load(empty)).hasMessageContaining("has no labels");
    Path spacedId = Files.writeString(dir.resolve("spaced.tsv"), "0\tn0 1\ttench\n");
    assertThatThrownBy(() -> LabelSet.load(spacedId)).hasMessageContaining("has spaces");
  }
}
