package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits and refusals of the .keras archive and config readers, on small crafted files. */
class KerasArchiveTest {

  @TempDir Path dir;

  private Path zip(String... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    Path file = dir.resolve("m.keras");
    Files.write(file, bytes.toByteArray());
    return file;
  }

  @Test
  void aFileThatIsNoZipIsRefusedAsSuch() throws IOException {
    Path file = Files.writeString(dir.resolve("m.keras"), "{\"class_name\": \"Functional\"}");
    assertThatThrownBy(() -> KerasArchive.config(file))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessage(file + " is not a zip archive, so not a Keras 3 .keras file");
  }

  @Test
  void aTruncatedArchiveIsRefusedAsSuch() throws IOException {
    Path file = zip("config.json", "{}", "metadata.json", "{}");
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> KerasArchive.config(file))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessageStartingWith(file + " is a truncated or damaged zip archive");
  }

  @Test
  void anEntryNamingAPathOutsideTheArchiveIsRefused() throws IOException {
    Path file = zip("config.json", "{}", "assets/../../etc/passwd", "x");
    assertThatThrownBy(() -> KerasArchive.config(file))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessage(
            file + " has an entry named 'assets/../../etc/passwd', a path outside the archive");
    assertThat(KerasArchive.outside("/abs")).isTrue();
    assertThat(KerasArchive.outside("C:\\x")).isTrue();
    assertThat(KerasArchive.outside("assets/a..b/c")).isFalse();
  }

  /**
   * The archive KerasFuzzTest found (its seed since): a name without the UTF-8 flag that is not
   * valid UTF-8, which ZipFile reports with an unchecked exception while listing entries.
   */
  @Test
  void anEntryNameThatIsNotUtf8IsRefusedAsDamage() throws IOException {
    byte[] found;
    try (var in =
        KerasArchiveTest.class.getResourceAsStream(
            "KerasFuzzTestInputs/readAnyBytes/zip-entry-name-not-utf8")) {
      found = in.readAllBytes();
    }
    Path file = Files.write(dir.resolve("m.keras"), found);

    assertThatThrownBy(() -> KerasArchive.config(file))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessage(
            file + " has an entry name that is not valid UTF-8, so it is a damaged archive");
  }

  @Test
  void aConfigThatInflatesPastItsLimitIsRefusedBeforeItIsRead() throws IOException {
    // 16 MiB + 1 of spaces deflate to a few kB
    Path file = zip("config.json", " ".repeat((int) KerasArchive.MAX_CONFIG_BYTES + 1));
    assertThatThrownBy(() -> KerasArchive.config(file))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessage(file + ": config.json inflates past the limit of " + (16 << 20) + " bytes");
  }

  @Test
  void tooManyEntriesAreRefused() throws IOException {
    String[] entries = new String[2 * (KerasArchive.MAX_ENTRIES + 1)];
    for (int i = 0; i < entries.length; i += 2) {
      entries[i] = "assets/" + i;
      entries[i + 1] = "";
    }
    Path file = zip(entries);
    assertThatThrownBy(() -> KerasArchive.config(file))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessage(file + " lists 65 entries; at most 64 are read");
  }

  @Test
  void anArchiveWithoutConfigIsNotAKerasFile() throws IOException {
    Path file = zip("metadata.json", "{}");
    assertThatThrownBy(() -> KerasArchive.config(file))
        .hasMessage(file + " has no config.json: not a Keras 3 .keras file");
  }

  @Test
  void aConfigNestedDeeperThanTheLimitIsRefused() {
    byte[] deep =
        ("{\"class_name\": \"Functional\", \"config\": "
                + "[".repeat(KerasConfig.MAX_JSON_DEPTH)
                + "]".repeat(KerasConfig.MAX_JSON_DEPTH)
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> KerasConfig.parse(deep))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessageStartingWith("the model config is not valid JSON within the limits (depth 64)");
  }

  @Test
  void aLayerThatIsNotSupportedIsNamedWithItsClassBeforeAnyWeight() {
    byte[] json =
        """
        {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 150, 150, 3]}},
          {"class_name": "Flatten", "config": {"name": "flat"}}]}}
        """
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> KerasArchitecture.recognise(KerasConfig.parse(json)))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessageStartingWith(
            "layer 'flat' (Flatten) is not supported before the Xception layers");
  }

  @Test
  void weightGroupsAreNamedAsKerasNamesThem() {
    assertThat(KerasConfig.snakeCase("GlobalAveragePooling2D"))
        .isEqualTo("global_average_pooling2d");
    assertThat(KerasConfig.snakeCase("SeparableConv2D")).isEqualTo("separable_conv2d");
    assertThat(KerasConfig.snakeCase("BatchNormalization")).isEqualTo("batch_normalization");
    assertThat(KerasConfig.snakeCase("Functional")).isEqualTo("functional");
  }
}
