package dev.classifier.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the API, under {@code classifier.security.*}; each property is in the README's
 * configuration table. Off by default, so a local {@code java -jar} answers everyone; the
 * Kubernetes overlay turns it on.
 *
 * @param enabled whether API calls need credentials (API key or JWT)
 */
@Validated
@ConfigurationProperties("classifier.security")
public record SecurityProperties(
    @DefaultValue("false") boolean enabled,
    @Valid @NotNull @DefaultValue ApiKeys apiKeys,
    @Valid @NotNull @DefaultValue Jwt jwt,
    @Valid @NotNull @DefaultValue Quotas quotas) {

  /** On without a way to authenticate, every call would be refused: say so at start-up instead. */
  @AssertTrue(
      message = "classifier.security.enabled needs api-keys.file or a jwt issuer/jwk-set uri")
  public boolean isConfigured() {
    return !enabled || apiKeys.file() != null || jwt.enabled();
  }

  /**
   * API keys, stored as SHA-256 hashes ({@code id:sha256-hex} per line).
   *
   * @param file the key file, e.g. mounted from a Kubernetes Secret; unset: no API keys
   * @param reloadInterval how often the file is checked for changes; a revoked key is refused at
   *     most this long after the file changed
   * @param maxFileSize a larger file is refused (the last good keys stay)
   * @param maxKeys a file with more lines is refused (the last good keys stay)
   */
  public record ApiKeys(
      Path file,
      @NotNull @DefaultValue("5s") Duration reloadInterval,
      @NotNull @DefaultValue("4MB") DataSize maxFileSize,
      @Min(1) @Max(1_000_000) @DefaultValue("20000") int maxKeys) {

    @AssertTrue(message = "reload-interval must be between 100ms and 1h")
    public boolean isReloadIntervalSane() {
      return reloadInterval.compareTo(Duration.ofMillis(100)) >= 0
          && reloadInterval.compareTo(Duration.ofHours(1)) <= 0;
    }
  }

  /**
   * OAuth2 bearer JWTs from an identity provider, verified with its published keys.
   *
   * @param issuerUri the issuer ({@code iss}); its keys are found through OpenID discovery unless
   *     {@code jwkSetUri} is given
   * @param jwkSetUri where the signing keys are published
   * @param audiences a token must name one of these in {@code aud}; empty: not checked
   * @param requiredScope a token without this scope is refused with 403; blank: none needed
   * @param clockSkew tolerance on {@code exp} and {@code nbf}
   * @param maxTokenLength a longer credential is refused before it is parsed
   */
  public record Jwt(
      URI issuerUri,
      URI jwkSetUri,
      @NotNull @DefaultValue List<String> audiences,
      @NotNull @DefaultValue("classify") String requiredScope,
      @NotNull @DefaultValue("60s") Duration clockSkew,
      @Min(256) @Max(65_536) @DefaultValue("8192") int maxTokenLength) {

    public boolean enabled() {
      return issuerUri != null || jwkSetUri != null;
    }
  }

  /**
   * Per-caller quotas. A caller is a key id, or for JWTs the subject.
   *
   * @param defaults every caller's quota unless {@code keys} names it
   * @param keys quotas per key id
   * @param maxJwtSubjects JWT subjects whose quota state is kept (least recently seen dropped)
   */
  public record Quotas(
      @Valid @NotNull @DefaultValue Quota defaults,
      @NotNull @DefaultValue Map<String, @Valid Quota> keys,
      @Min(1) @Max(1_000_000) @DefaultValue("10000") int maxJwtSubjects) {}

  /**
   * One caller's quota; 0 means unlimited.
   *
   * @param requestsPerSecond API requests admitted per second
   * @param inFlight requests (each with its images) in progress at once
   */
  public record Quota(
      @Min(0) @Max(1_000_000) @DefaultValue("0") int requestsPerSecond,
      @Min(0) @Max(100_000) @DefaultValue("0") int inFlight) {

    public boolean unlimited() {
      return requestsPerSecond == 0 && inFlight == 0;
    }
  }
}
