package dev.classifier.security;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides who a caller is from the credentials it sent, for every door: the HTTP doors pass the
 * {@code Authorization} and {@code X-API-Key} headers; a gRPC {@code ServerInterceptor} passes the
 * {@code authorization} and {@code x-api-key} metadata the same way and maps {@link
 * Verdict.Refused} to {@code UNAUTHENTICATED} ({@code INSUFFICIENT_SCOPE}: {@code
 * PERMISSION_DENIED}), then asks {@link Quotas#admit}. A bearer credential is first looked up as an
 * API key (always, so the time taken does not say which kind it was), then verified as a JWT when
 * it has a JWT's shape and JWTs are enabled.
 */
public final class Authenticator {

  /** RFC 6750's b64token, which both API keys and JWTs are. */
  private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9._~+/-]+=*) *");

  private static final Pattern JWT_SHAPE = Pattern.compile("[^.]+\\.[^.]+\\.[^.]*");

  private final ApiKeys apiKeys;
  private final JwtVerifier jwts;
  private final InternalCaller internal;
  private final int maxCredentialLength;

  Authenticator(
      ApiKeys apiKeys, JwtVerifier jwts, InternalCaller internal, int maxCredentialLength) {
    this.apiKeys = apiKeys;
    this.jwts = jwts;
    this.internal = internal;
    this.maxCredentialLength = maxCredentialLength;
  }

  /**
   * @param authorization the {@code Authorization} header (or metadata) value, or null
   * @param apiKey the {@code X-API-Key} header (or metadata) value, or null
   */
  public Verdict authenticate(String authorization, String apiKey) {
    if (authorization == null && apiKey == null) {
      return new Verdict.Refused(Verdict.Refusal.MISSING, "credentials are required");
    }
    if (authorization != null && apiKey != null) {
      return malformed("send either Authorization or X-API-Key, not both");
    }
    String credential;
    if (authorization != null) {
      if (authorization.length() > maxCredentialLength + 7) {
        return malformed("the Authorization header is too long");
      }
      var bearer = BEARER.matcher(authorization);
      if (!bearer.matches()) {
        return malformed("the Authorization header must be: Bearer <API key or token>");
      }
      credential = bearer.group(1);
    } else {
      credential = apiKey.strip();
      if (credential.isEmpty() || credential.length() > maxCredentialLength) {
        return malformed("the X-API-Key header must hold one key");
      }
    }
    return credential(credential);
  }

  /** Whether JWTs are accepted (for the WWW-Authenticate scope hint). */
  Optional<String> requiredScope() {
    return jwts == null ? Optional.empty() : Optional.of(jwts.requiredScope());
  }

  private Verdict credential(String credential) {
    KeyHash hash = KeyHash.of(credential);
    if (internal.matches(hash)) {
      return new Verdict.Allowed(internal.identity());
    }
    Optional<String> keyId = apiKeys == null ? Optional.empty() : apiKeys.idOf(hash);
    if (keyId.isPresent()) {
      return new Verdict.Allowed(CallerIdentity.apiKey(keyId.get()));
    }
    if (jwts != null && JWT_SHAPE.matcher(credential).matches()) {
      return jwts.verify(credential);
    }
    return new Verdict.Refused(Verdict.Refusal.INVALID, "unknown or revoked credentials");
  }

  private static Verdict malformed(String detail) {
    return new Verdict.Refused(Verdict.Refusal.MALFORMED, detail);
  }
}
