package dev.classifier.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** What {@code hash-api-key} prints, and that the line it prints is accepted for its key. */
class HashApiKeyCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new HashApiKeyCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new SecureRandom())
        .run(args);
  }

  @Test
  void hashesAGivenKey() {
    assertThat(run("alice", "abc")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("alice:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
  }

  @Test
  void generatesAKeyPrintsItOnceAndTheLineThatAcceptsIt() throws Exception {
    assertThat(run("bob")).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("# key for bob (give it to the caller; it is not stored): ");
    String key = lines[0].substring(lines[0].lastIndexOf(' ') + 1);
    assertThat(key).matches("[A-Za-z0-9_-]{43}");
    var parsed = ApiKeyFile.parse((lines[0] + "\n" + lines[1]).getBytes(StandardCharsets.UTF_8), 5);
    assertThat(parsed.get(KeyHash.of(key))).isEqualTo("bob");
  }

  @Test
  void refusesBadArguments() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("bad id")).isEqualTo(2);
    assertThat(run("alice", "has space")).isEqualTo(2);
    assertThat(run("a", "b", "c")).isEqualTo(2);
    assertThat(out.size()).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: hash-api-key");
  }
}
