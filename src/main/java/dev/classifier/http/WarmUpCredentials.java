package dev.classifier.http;

/**
 * The credential the HTTP warm-up sends to the service's own API before readiness, when the API
 * asks for one (provided by the authentication, which the transport does not know).
 */
@FunctionalInterface
public interface WarmUpCredentials {

  /** The {@code Authorization} header value, or null when the API is open. */
  String authorization();
}
