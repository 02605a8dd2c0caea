package dev.classifier.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SHA-256 of an API key, the only form in which keys are stored. Equality is {@link
 * MessageDigest#isEqual}, which takes the same time whatever the bytes.
 */
final class KeyHash {

  private final byte[] digest;
  private final int hash;

  KeyHash(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
    }
    this.digest = digest.clone();
    this.hash = Arrays.hashCode(digest);
  }

  static KeyHash of(String key) {
    try {
      return new KeyHash(
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  String hex() {
    return HexFormat.of().formatHex(digest);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyHash that && MessageDigest.isEqual(digest, that.digest);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
