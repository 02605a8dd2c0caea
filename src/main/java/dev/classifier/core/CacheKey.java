package dev.classifier.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What decides one image's cached answer: the SHA-256 of the image's whole encoded bytes, the
 * SHA-256 of the model file that scored it, and whether its class activation maps were asked for.
 * Top-k is not part of the key: an entry keeps its top-k predictions and serves any request for as
 * many or fewer ({@link ResultCache#get}). SHA-256 over every byte, so a different image cannot be
 * made to share a key short of a SHA-256 collision.
 */
public record CacheKey(String imageSha256, String modelSha256, boolean explain) {

  /** Bytes a key costs in the cache: two 64-character hex strings and the record around them. */
  static final int WEIGHT = 2 * (40 + 2 * 64) + 16;

  public CacheKey {
    if (imageSha256.length() != 64 || modelSha256.length() != 64) {
      throw new IllegalArgumentException("SHA-256 digests are 64 hex digits");
    }
  }

  /** The key of {@code length} bytes of {@code body} from {@code offset}. */
  public static CacheKey of(
      byte[] body, int offset, int length, String modelSha256, boolean explain) {
    MessageDigest sha256 = sha256();
    sha256.update(body, offset, length);
    return new CacheKey(HexFormat.of().formatHex(sha256.digest()), modelSha256, explain);
  }

  /**
   * A weak HTTP entity tag for a whole response: every image's key in order, and the top-k. Weak
   * ({@code W/}), because two such responses are the same answer but not the same bytes (request
   * id, timings).
   */
  public static String etag(List<CacheKey> images, int topK) {
    MessageDigest sha256 = sha256();
    for (CacheKey key : images) {
      sha256.update(key.imageSha256().getBytes(StandardCharsets.US_ASCII));
      sha256.update(key.modelSha256().getBytes(StandardCharsets.US_ASCII));
      sha256.update((byte) (key.explain() ? 1 : 0));
    }
    sha256.update(Integer.toString(topK).getBytes(StandardCharsets.US_ASCII));
    return "W/\"" + HexFormat.of().formatHex(sha256.digest()) + "\"";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
