package dev.classifier.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider for tests: an RSA key made here, its public half served as a JWK set by a
 * real HTTP server on loopback, and tokens signed with it (or, to be refused, with another key,
 * unsigned, expired, for another audience).
 */
final class TestIdentityProvider implements AutoCloseable {

  static final String ISSUER = "https://idp.test";
  static final String AUDIENCE = "classifier";

  private final RSAKey key;
  private final RSAKey impostor;
  private final HttpServer server;
  private final AtomicInteger jwkFetches = new AtomicInteger();

  TestIdentityProvider() {
    try {
      key = new RSAKeyGenerator(2048).keyID("test-key").keyUse(KeyUse.SIGNATURE).generate();
      // The same key id, another key: a forged token that claims to be signed by the real one.
      impostor = new RSAKeyGenerator(2048).keyID("test-key").keyUse(KeyUse.SIGNATURE).generate();
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/jwks",
        exchange -> {
          jwkFetches.incrementAndGet();
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, jwks.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(jwks);
          }
        });
    server.start();
  }

  URI jwkSetUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
  }

  int jwkFetches() {
    return jwkFetches.get();
  }

  String good(String subject) {
    return sign(key, claims(subject, AUDIENCE, "classify openid", Duration.ofMinutes(5)), 0);
  }

  String expired() {
    return sign(key, claims("alice", AUDIENCE, "classify", Duration.ofMinutes(-10)), 0);
  }

  String wrongAudience() {
    return sign(key, claims("alice", "another-api", "classify", Duration.ofMinutes(5)), 0);
  }

  String withoutScope() {
    return sign(key, claims("alice", AUDIENCE, "openid profile", Duration.ofMinutes(5)), 0);
  }

  String wronglySigned() {
    return sign(impostor, claims("alice", AUDIENCE, "classify", Duration.ofMinutes(5)), 0);
  }

  /** {@code alg: none}: the claims of a good token, and no signature. */
  String unsigned() {
    return new PlainJWT(claims("alice", AUDIENCE, "classify", Duration.ofMinutes(5))).serialize();
  }

  /** A good token whose header carries {@code padding} characters of junk. */
  String hugeHeader(int padding) {
    return sign(key, claims("alice", AUDIENCE, "classify", Duration.ofMinutes(5)), padding);
  }

  private static JWTClaimsSet claims(
      String subject, String audience, String scope, Duration expiresIn) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .audience(audience)
        .claim("scope", scope)
        .issueTime(Date.from(now.minusSeconds(600)))
        .expirationTime(Date.from(now.plus(expiresIn)))
        .build();
  }

  private static String sign(RSAKey with, JWTClaimsSet claims, int padding) {
    try {
      JWSHeader.Builder header =
          new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT);
      if (padding > 0) {
        header.customParam("pad", "x".repeat(padding));
      }
      SignedJWT jwt = new SignedJWT(header.build(), claims);
      jwt.sign(new RSASSASigner(with));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
