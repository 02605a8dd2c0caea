package dev.classifier.security;

import dev.classifier.http.WarmUpCredentials;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The service's own credential, for the HTTP warm-up that calls its own API before readiness: a
 * random 256-bit key made at start-up, held only in memory, never logged, and exempt from quotas.
 */
public final class InternalCaller implements WarmUpCredentials {

  private final String key;
  private final KeyHash keyHash;
  private final boolean required;

  InternalCaller(boolean required) {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    this.keyHash = KeyHash.of(key);
    this.required = required;
  }

  /** The {@code Authorization} value the warm-up sends, or null when the API is open. */
  @Override
  public String authorization() {
    return required ? "Bearer " + key : null;
  }

  boolean matches(KeyHash credential) {
    return keyHash.equals(credential);
  }

  CallerIdentity identity() {
    return new CallerIdentity(CallerIdentity.Kind.INTERNAL, "warm-up");
  }
}
