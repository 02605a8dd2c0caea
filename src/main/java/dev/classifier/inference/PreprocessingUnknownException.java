package dev.classifier.inference;

/**
 * At start-up: the model records no preprocessing the service knows (tf, torch or caffe) and none
 * is configured, so its input scaling cannot be known.
 */
public class PreprocessingUnknownException extends InferenceException {

  private final String recorded;

  /**
   * @param recorded what the model's metadata says, or null when it says nothing
   */
  PreprocessingUnknownException(String message, String recorded, Throwable cause) {
    super(message, cause);
    this.recorded = recorded;
  }

  /** What the model's metadata says, or null when it says nothing. */
  public String recorded() {
    return recorded;
  }
}
