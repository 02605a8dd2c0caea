package dev.classifier.security;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the API key file: one {@code id:sha256-hex} per line, blank lines and {@code #} comments
 * allowed. Keys are never stored in clear, only their SHA-256 (a key is 256 random bits, so a fast
 * hash is enough: there is nothing to brute-force). Bounded: the caller checks the byte count
 * before reading, and this stops at {@code maxKeys} entries; each line costs one pass over its
 * characters.
 */
final class ApiKeyFile {

  /** Key ids go into log lines and metric tags, so they are short and plain. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private static final int HASH_HEX_LENGTH = 64;

  private ApiKeyFile() {}

  /** A line that is not a key: the message names the line, never its content beyond the id. */
  static final class InvalidKeyFileException extends Exception {
    InvalidKeyFileException(String message) {
      super(message);
    }
  }

  /**
   * The keys in {@code content}, by hash.
   *
   * @throws InvalidKeyFileException on the first bad line, a repeated id or hash, or more than
   *     {@code maxKeys} keys
   */
  static Map<KeyHash, String> parse(byte[] content, int maxKeys) throws InvalidKeyFileException {
    String text = new String(content, StandardCharsets.UTF_8);
    Map<KeyHash, String> keys = new HashMap<>();
    Map<String, Integer> ids = new HashMap<>();
    int lineNumber = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      lineNumber++;
      String line = text.substring(start, end).strip();
      start = end + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new InvalidKeyFileException("line " + lineNumber + ": not id:sha256-hex");
      }
      String id = line.substring(0, colon);
      String hex = line.substring(colon + 1).strip();
      if (!ID.matcher(id).matches()) {
        throw new InvalidKeyFileException(
            "line " + lineNumber + ": the id must be 1-64 of A-Z a-z 0-9 . _ -");
      }
      if (hex.length() != HASH_HEX_LENGTH || !isHex(hex)) {
        throw new InvalidKeyFileException(
            "line " + lineNumber + " (" + id + "): the hash must be 64 hex digits (SHA-256)");
      }
      Integer previous = ids.putIfAbsent(id, lineNumber);
      if (previous != null) {
        throw new InvalidKeyFileException(
            "line " + lineNumber + ": id " + id + " is already on line " + previous);
      }
      if (keys.putIfAbsent(new KeyHash(HexFormat.of().parseHex(hex)), id) != null) {
        throw new InvalidKeyFileException(
            "line " + lineNumber + " (" + id + "): the same key hash is on an earlier line");
      }
      if (keys.size() > maxKeys) {
        throw new InvalidKeyFileException("more than " + maxKeys + " keys");
      }
    }
    return keys;
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
