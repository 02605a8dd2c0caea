package dev.classifier.deploy;

/**
 * A manifest or kustomization that is malformed or uses something this validator does not support.
 */
final class ManifestException extends RuntimeException {

  ManifestException(String message) {
    super(message);
  }

  ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
