package dev.classifier.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol-neutral decision every door uses (HTTP headers now, gRPC metadata later), with real
 * keys and real JWTs from a JWK set served on loopback.
 */
class AuthenticatorTest {

  @TempDir Path dir;

  private TestIdentityProvider idp;
  private Authenticator authenticator;

  @BeforeEach
  void setUp() throws Exception {
    idp = new TestIdentityProvider();
    Path file = dir.resolve("keys");
    Files.writeString(file, "alice:" + KeyHash.of("alice-key").hex() + "\n");
    ApiKeys keys = new ApiKeys(file, 4096, 10, new SimpleMeterRegistry());
    keys.reload();
    SecurityProperties.Jwt jwt =
        new SecurityProperties.Jwt(
            java.net.URI.create(TestIdentityProvider.ISSUER),
            idp.jwkSetUri(),
            List.of(TestIdentityProvider.AUDIENCE),
            "classify",
            java.time.Duration.ofSeconds(30),
            8192);
    authenticator = new Authenticator(keys, new JwtVerifier(jwt), new InternalCaller(true), 8192);
  }

  @AfterEach
  void tearDown() {
    idp.close();
  }

  private String verdict(String authorization, String apiKey) {
    Verdict verdict = authenticator.authenticate(authorization, apiKey);
    return verdict instanceof Verdict.Allowed allowed
        ? "allowed " + allowed.caller().logName() + " tag " + allowed.caller().metricTag()
        : ((Verdict.Refused) verdict).reason().name();
  }

  @Test
  void keysInEitherHeader() {
    assertThat(verdict("Bearer alice-key", null)).isEqualTo("allowed key:alice tag alice");
    assertThat(verdict("bearer   alice-key ", null)).isEqualTo("allowed key:alice tag alice");
    assertThat(verdict(null, "alice-key")).isEqualTo("allowed key:alice tag alice");
    assertThat(verdict(null, " alice-key ")).isEqualTo("allowed key:alice tag alice");
    assertThat(verdict("Bearer bob-key", null)).isEqualTo("INVALID");
    assertThat(verdict(null, "bob-key")).isEqualTo("INVALID");
  }

  @Test
  void malformedOrMissingCredentials() {
    assertThat(verdict(null, null)).isEqualTo("MISSING");
    assertThat(verdict("Basic YWxpY2U6eA==", null)).isEqualTo("MALFORMED");
    assertThat(verdict("Bearer", null)).isEqualTo("MALFORMED");
    assertThat(verdict("Bearer a b", null)).isEqualTo("MALFORMED");
    assertThat(verdict("Bearer \"quoted\"", null)).isEqualTo("MALFORMED");
    assertThat(verdict("Bearer alice-key", "alice-key")).isEqualTo("MALFORMED");
    assertThat(verdict(null, "")).isEqualTo("MALFORMED");
    assertThat(verdict("Bearer " + "a".repeat(8193), null)).isEqualTo("MALFORMED");
    assertThat(verdict(null, "a".repeat(8193))).isEqualTo("MALFORMED");
  }

  @Test
  void jwts() {
    assertThat(verdict("Bearer " + idp.good("carol"), null)).isEqualTo("allowed jwt:carol tag jwt");
    assertThat(verdict("Bearer " + idp.good("evil\nname with spaces"), null))
        .isEqualTo("allowed jwt:evil_name_with_spaces tag jwt");
    assertThat(verdict("Bearer " + idp.expired(), null)).isEqualTo("INVALID");
    assertThat(verdict("Bearer " + idp.wrongAudience(), null)).isEqualTo("INVALID");
    assertThat(verdict("Bearer " + idp.unsigned(), null)).isEqualTo("INVALID");
    assertThat(verdict("Bearer " + idp.wronglySigned(), null)).isEqualTo("INVALID");
    assertThat(verdict("Bearer " + idp.withoutScope(), null)).isEqualTo("INSUFFICIENT_SCOPE");
    assertThat(verdict("Bearer a.b.c", null)).isEqualTo("INVALID");
  }

  @Test
  void aJwtWithAHugeHeaderIsRefusedBeforeItIsParsed() {
    String huge = idp.hugeHeader(16_000);
    assertThat(huge.length()).isGreaterThan(8192);
    assertThat(verdict("Bearer " + huge, null)).isEqualTo("MALFORMED");
    // Within the length limit, the padding is harmless: it is a valid token.
    assertThat(verdict("Bearer " + idp.hugeHeader(4_000), null))
        .isEqualTo("allowed jwt:alice tag jwt");
  }

  @Test
  void theServicesOwnWarmUpCredential() {
    InternalCaller internal = new InternalCaller(true);
    Authenticator withInternal = new Authenticator(null, null, internal, 8192);
    Verdict verdict = withInternal.authenticate(internal.authorization(), null);
    assertThat(verdict).isEqualTo(new Verdict.Allowed(internal.identity()));
    assertThat(new InternalCaller(false).authorization()).isNull();
    assertThat(withInternal.authenticate("Bearer alice-key", null))
        .isInstanceOf(Verdict.Refused.class);
  }
}
