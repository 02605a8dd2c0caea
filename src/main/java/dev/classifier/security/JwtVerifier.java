package dev.classifier.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies OAuth2 bearer JWTs with Spring Security's resource-server decoder: the signature against
 * the identity provider's published keys (fetched when first needed and cached, so start-up does
 * not depend on the provider), then expiry, issuer, audience and the required scope. Unsigned
 * tokens ({@code alg: none}) are refused by the decoder, which accepts only signed JWS.
 */
final class JwtVerifier {

  private static final Logger log = LoggerFactory.getLogger(JwtVerifier.class);

  private final NimbusJwtDecoder decoder;
  private final String requiredScope;

  JwtVerifier(SecurityProperties.Jwt settings) {
    this.decoder =
        settings.jwkSetUri() != null
            ? NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString()).build()
            : NimbusJwtDecoder.withIssuerLocation(settings.issuerUri().toString()).build();
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(new JwtTimestampValidator(settings.clockSkew()));
    validators.add(JwtTypeValidator.jwt());
    if (settings.issuerUri() != null) {
      validators.add(new JwtIssuerValidator(settings.issuerUri().toString()));
    }
    List<String> audiences = List.copyOf(settings.audiences());
    if (!audiences.isEmpty()) {
      validators.add(
          new JwtClaimValidator<Collection<String>>(
              "aud", aud -> aud != null && aud.stream().anyMatch(audiences::contains)));
    }
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
    this.requiredScope = settings.requiredScope().strip();
  }

  Verdict verify(String token) {
    Jwt jwt;
    try {
      jwt = decoder.decode(token);
    } catch (BadJwtException e) {
      return new Verdict.Refused(Verdict.Refusal.INVALID, "the bearer token is not valid");
    } catch (JwtException e) {
      // The identity provider's keys could not be fetched: not the caller's fault, but without
      // them nothing can be proven, so the request is refused and the operator told.
      log.warn("JWT not verified: {}", e.getMessage());
      return new Verdict.Refused(Verdict.Refusal.INVALID, "the bearer token cannot be verified");
    }
    CallerIdentity caller = CallerIdentity.jwt(jwt.getSubject());
    if (!requiredScope.isEmpty() && !scopes(jwt).contains(requiredScope)) {
      return new Verdict.Refused(
          Verdict.Refusal.INSUFFICIENT_SCOPE, "the token lacks the scope " + requiredScope, caller);
    }
    return new Verdict.Allowed(caller);
  }

  String requiredScope() {
    return requiredScope;
  }

  /** {@code scope} (RFC 8693's space-separated string) or {@code scp} (a list, as Azure AD has). */
  private static List<String> scopes(Jwt jwt) {
    Object scope = jwt.getClaims().get("scope");
    if (scope instanceof String text) {
      return List.of(text.split(" "));
    }
    Object scp = jwt.getClaims().get("scp");
    if (scp instanceof Collection<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    if (scp instanceof String text) {
      return List.of(text.split(" "));
    }
    return List.of();
  }
}
