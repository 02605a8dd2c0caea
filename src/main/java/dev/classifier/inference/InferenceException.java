package dev.classifier.inference;

/** The model could not be loaded or could not run: a server-side fault, never the client's. */
public class InferenceException extends RuntimeException {

  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
