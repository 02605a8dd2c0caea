package dev.classifier.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file's format and limits, and what a reload does with good, broken and missing files. */
class ApiKeysTest {

  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private ApiKeys keys(Path file) {
    return new ApiKeys(file, 1024 * 1024, 20_000, registry);
  }

  private double failures() {
    return registry.get("classifier.api.keys.reload.failures").counter().count();
  }

  private static String line(String id, String key) {
    return id + ":" + KeyHash.of(key).hex();
  }

  @Test
  void parsesIdsAndHashesSkippingCommentsAndBlankLines() throws Exception {
    String file =
        "# comment\n\n" + line("alice", "a-key") + "\r\n  " + line("bob.2", "b-key") + "  \n";
    Map<KeyHash, String> parsed = ApiKeyFile.parse(file.getBytes(StandardCharsets.UTF_8), 10);
    assertThat(parsed).hasSize(2);
    assertThat(parsed.get(KeyHash.of("a-key"))).isEqualTo("alice");
    assertThat(parsed.get(KeyHash.of("b-key"))).isEqualTo("bob.2");
  }

  @Test
  void refusesBadLinesNamingTheLineButNeverItsHash() {
    String hash = KeyHash.of("k").hex();
    assertThat(message("alice " + hash)).isEqualTo("line 1: not id:sha256-hex");
    assertThat(message("al ice:" + hash))
        .isEqualTo("line 1: the id must be 1-64 of A-Z a-z 0-9 . _ -");
    assertThat(message("alice:" + hash.substring(1)))
        .isEqualTo("line 1 (alice): the hash must be 64 hex digits (SHA-256)");
    assertThat(message("alice:" + hash.replace(hash.charAt(0), 'g')))
        .isEqualTo("line 1 (alice): the hash must be 64 hex digits (SHA-256)");
    assertThat(message("a:" + hash + "\nb:" + KeyHash.of("j").hex() + "\na:" + hash))
        .isEqualTo("line 3: id a is already on line 1");
    assertThat(message("a:" + hash + "\nb:" + hash))
        .isEqualTo("line 2 (b): the same key hash is on an earlier line");
    assertThat(message("x".repeat(65) + ":" + hash))
        .isEqualTo("line 1: the id must be 1-64 of A-Z a-z 0-9 . _ -");
  }

  private static String message(String content) {
    try {
      ApiKeyFile.parse(content.getBytes(StandardCharsets.UTF_8), 10);
      return "parsed";
    } catch (ApiKeyFile.InvalidKeyFileException e) {
      return e.getMessage();
    }
  }

  @Test
  void tenThousandKeysLoadAndEachIsFound() throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(
        file,
        IntStream.range(0, 10_000)
            .mapToObj(i -> line("k" + i, "key-" + i))
            .collect(Collectors.joining("\n")));
    ApiKeys keys = keys(file);
    assertThat(keys.reload()).isTrue();
    assertThat(keys.size()).isEqualTo(10_000);
    assertThat(keys.idOf(KeyHash.of("key-0"))).hasValue("k0");
    assertThat(keys.idOf(KeyHash.of("key-9999"))).hasValue("k9999");
    assertThat(keys.idOf(KeyHash.of("key-10000"))).isEmpty();
    assertThat(registry.get("classifier.api.keys").gauge().value()).isEqualTo(10_000);
  }

  @Test
  void moreKeysThanTheLimitKeepTheLastGoodSet() throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, line("a", "ka") + "\n" + line("b", "kb") + "\n");
    ApiKeys keys = new ApiKeys(file, 1024, 2, registry);
    assertThat(keys.reload()).isTrue();
    Files.writeString(file, line("a", "ka") + "\n" + line("b", "kb") + "\n" + line("c", "kc"));
    assertThat(keys.reload()).isFalse();
    assertThat(keys.ids()).containsExactlyInAnyOrder("a", "b");
    assertThat(failures()).isEqualTo(1);
  }

  @Test
  void aFileOverTheSizeLimitIsNotReadAndKeepsTheLastGoodSet() throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, line("a", "ka"));
    ApiKeys keys = new ApiKeys(file, 100, 10, registry);
    assertThat(keys.reload()).isTrue();
    Files.writeString(file, line("a", "ka") + "\n" + line("b", "kb"));
    assertThat(keys.reload()).isFalse();
    assertThat(keys.ids()).containsExactly("a");
    assertThat(failures()).isEqualTo(1);
  }

  @Test
  void aBrokenFileKeepsTheLastGoodSetAndCountsOncePerChange() throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, line("alice", "ka"));
    ApiKeys keys = keys(file);
    assertThat(keys.reload()).isTrue();
    Files.writeString(file, "alice:not-a-hash");
    assertThat(keys.reload()).isFalse();
    assertThat(keys.reload()).isFalse();
    assertThat(keys.idOf(KeyHash.of("ka"))).hasValue("alice");
    assertThat(failures()).as("the same broken content is counted once").isEqualTo(1);
    Files.writeString(file, line("bob", "kb"));
    assertThat(keys.reload()).isTrue();
    assertThat(keys.idOf(KeyHash.of("ka"))).isEmpty();
    assertThat(keys.idOf(KeyHash.of("kb"))).hasValue("bob");
  }

  @Test
  void aDirectoryAMissingFileAndAnUnreadableFileKeepTheLastGoodSet() throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, line("alice", "ka"));
    ApiKeys keys = keys(file);
    assertThat(keys.reload()).isTrue();

    Files.delete(file);
    assertThat(keys.reload()).isFalse();
    Files.createDirectory(file);
    assertThat(keys.reload()).isFalse();
    assertThat(keys.idOf(KeyHash.of("ka"))).hasValue("alice");
    Files.delete(file);

    Files.writeString(file, line("bob", "kb"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    boolean root = Files.isReadable(file); // root reads anything: then only the other cases count
    assertThat(keys.reload()).isEqualTo(root);
    assertThat(keys.idOf(KeyHash.of("ka")))
        .isEqualTo(root ? Optional.empty() : Optional.of("alice"));
    assertThat(failures()).isEqualTo(root ? 2 : 3);
  }

  @Test
  void noFileAtStartUpMeansNoKeys() {
    ApiKeys keys = keys(dir.resolve("absent"));
    assertThat(keys.reload()).isFalse();
    assertThat(keys.size()).isZero();
  }

  @Test
  void keyHashesCompareByValue() {
    assertThat(KeyHash.of("same"))
        .isEqualTo(KeyHash.of("same"))
        .hasSameHashCodeAs(KeyHash.of("same"));
    assertThat(KeyHash.of("same")).isNotEqualTo(KeyHash.of("other"));
    assertThat(KeyHash.of("abc").hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThatThrownBy(() -> new KeyHash(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
