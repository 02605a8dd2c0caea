package dev.classifier.inference;

import java.nio.file.Path;

/**
 * At start-up: the model file cannot be read or is not an ONNX image classifier (not a model, no
 * single float image input, no score output).
 */
public class ModelLoadException extends InferenceException {

  private final Path model;
  private final String reason;

  ModelLoadException(Path model, String reason, Throwable cause) {
    super("cannot load model " + model + ": " + reason, cause);
    this.model = model;
    this.reason = reason;
  }

  public Path model() {
    return model;
  }

  /** What ONNX Runtime or the signature check said. */
  public String reason() {
    return reason;
  }
}
