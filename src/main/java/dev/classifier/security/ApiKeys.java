package dev.classifier.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys in force, read from the key file and re-read when its content changes, so keys are
 * added, rotated and revoked without a restart. A file that cannot be read or parsed keeps the last
 * good keys in force; that is logged once per distinct change and counted in {@code
 * classifier_api_keys_reload_failures_total}.
 *
 * <p>A lookup hashes the presented key and finds its hash in a map. Its time depends only on the
 * SHA-256 of what the caller sent (the map's bucket) and the final comparison is {@link
 * MessageDigest#isEqual}, so it reveals nothing about a stored hash that the caller could use
 * without first finding a SHA-256 preimage.
 */
final class ApiKeys {

  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

  private final Path file;
  private final long maxBytes;
  private final int maxKeys;
  private final Counter failures;
  private volatile Map<KeyHash, String> keys = Map.of();

  /** SHA-256 of the file content last read (good or not), so an unchanged file costs no parse. */
  private byte[] lastContentHash;

  private String lastProblem;

  ApiKeys(Path file, long maxBytes, int maxKeys, MeterRegistry registry) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.maxKeys = maxKeys;
    this.failures =
        Counter.builder("classifier.api.keys.reload.failures")
            .description("Key file reads that failed and kept the last good keys")
            .register(registry);
    Gauge.builder("classifier.api.keys", this, keys -> keys.keys.size())
        .description("API keys in force")
        .register(registry);
  }

  /** The key id whose key this is, if it is one in force. */
  Optional<String> idOf(KeyHash presentedKey) {
    return Optional.ofNullable(keys.get(presentedKey));
  }

  Set<String> ids() {
    return Set.copyOf(keys.values());
  }

  int size() {
    return keys.size();
  }

  /**
   * Reads the file again and puts its keys in force if its content changed and is valid. Called at
   * start-up and then every reload interval, from one thread.
   *
   * @return whether the keys in force changed
   */
  synchronized boolean reload() {
    byte[] content;
    try {
      content = read();
    } catch (IOException | RuntimeException e) {
      return failed(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    }
    byte[] contentHash = sha256(content);
    if (lastContentHash != null && MessageDigest.isEqual(contentHash, lastContentHash)) {
      return false;
    }
    try {
      Map<KeyHash, String> parsed = ApiKeyFile.parse(content, maxKeys);
      lastContentHash = contentHash;
      lastProblem = null;
      keys = Map.copyOf(parsed);
      log.info("API keys: {} in force from {} ({} bytes)", parsed.size(), file, content.length);
      return true;
    } catch (ApiKeyFile.InvalidKeyFileException e) {
      return failed(e.getMessage(), contentHash);
    }
  }

  /**
   * The file's bytes, at most {@code maxBytes}: the size is checked before reading, and the read
   * stops past it too (a file may grow between the two).
   */
  private byte[] read() throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException("it is a directory");
    }
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new IOException(size + " bytes, more than the limit of " + maxBytes);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] content = in.readNBytes((int) maxBytes + 1);
      if (content.length > maxBytes) {
        throw new IOException("more than the limit of " + maxBytes + " bytes");
      }
      return content;
    }
  }

  /** Keeps the last good keys; logs once per distinct problem, counts every failed reload. */
  private boolean failed(String problem, byte[] contentHash) {
    failures.increment();
    if (contentHash != null) {
      lastContentHash = contentHash;
    }
    if (!problem.equals(lastProblem)) {
      lastProblem = problem;
      log.warn(
          "API key file {} not used ({}): the {} keys read before stay in force",
          file,
          problem,
          keys.size());
    }
    return false;
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
