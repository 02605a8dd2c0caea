package dev.classifier.security;

import dev.classifier.testing.TinyModelServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The tiny-model service with authentication on: API keys from a key file the tests rewrite (read
 * again every 200 ms) and JWTs from a {@link TestIdentityProvider} on loopback. Key {@code greedy}
 * has a quota of 5 requests per second and 2 in flight; the others have none. One Spring context
 * for every security test: tests that change the key file put it back.
 */
abstract class SecuredServer extends TinyModelServer {

  static final long RELOAD_MILLIS = 200;

  static final TestIdentityProvider IDP = new TestIdentityProvider();
  static final Map<String, String> KEYS = new LinkedHashMap<>();
  static final Path KEY_DIR;
  static final Path KEY_FILE;

  static {
    for (String id : new String[] {"alice", "bob", "greedy", "polite"}) {
      KEYS.put(id, id + "-" + java.util.UUID.randomUUID());
    }
    try {
      KEY_DIR = Files.createTempDirectory("api-keys");
      KEY_FILE = KEY_DIR.resolve("api-keys");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeKeys(KEYS);
  }

  @DynamicPropertySource
  static void security(DynamicPropertyRegistry registry) {
    registry.add("classifier.security.enabled", () -> "true");
    registry.add("classifier.security.api-keys.file", KEY_FILE::toString);
    registry.add("classifier.security.api-keys.reload-interval", () -> RELOAD_MILLIS + "ms");
    registry.add("classifier.security.jwt.issuer-uri", () -> TestIdentityProvider.ISSUER);
    registry.add("classifier.security.jwt.jwk-set-uri", () -> IDP.jwkSetUri().toString());
    registry.add("classifier.security.jwt.audiences", () -> TestIdentityProvider.AUDIENCE);
    registry.add("classifier.security.quotas.keys.greedy.requests-per-second", () -> "5");
    registry.add("classifier.security.quotas.keys.greedy.in-flight", () -> "2");
  }

  /** Replaces the key file at once, as the kubelet swaps a Secret's files: write, then rename. */
  static void writeKeys(Map<String, String> keys) {
    String lines =
        keys.entrySet().stream()
            .map(e -> e.getKey() + ":" + KeyHash.of(e.getValue()).hex())
            .collect(Collectors.joining("\n", "# test keys\n", "\n"));
    try {
      Path next = Files.createTempFile(KEY_DIR, "next", ".tmp");
      Files.writeString(next, lines);
      Files.move(
          next, KEY_FILE, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Long enough for a reload to have happened after a change. */
  static void awaitReload() throws InterruptedException {
    Thread.sleep(RELOAD_MILLIS * 3);
  }
}
