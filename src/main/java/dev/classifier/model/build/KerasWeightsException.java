package dev.classifier.model.build;

/**
 * A Keras weights file that cannot become Xception weights; the message names the layer and the
 * shapes.
 */
final class KerasWeightsException extends RuntimeException {

  KerasWeightsException(String message) {
    super(message);
  }

  KerasWeightsException(String message, Throwable cause) {
    super(message, cause);
  }
}
