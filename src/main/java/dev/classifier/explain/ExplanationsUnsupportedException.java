package dev.classifier.explain;

/**
 * The served model has no head class activation maps can be computed from: not a GlobalAveragePool
 * → dense classifier, or its feature map is not a graph output. A property of the model, reported
 * to clients as a client error (they asked for something this deployment cannot give).
 */
public class ExplanationsUnsupportedException extends RuntimeException {

  /**
   * @param reason why the model has no usable head, for the log (may name graph internals)
   */
  public ExplanationsUnsupportedException(String reason) {
    super(reason);
  }
}
