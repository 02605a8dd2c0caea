package dev.classifier.core;

/** A request the core cannot serve as asked, found before any work; each door words it. */
public class InvalidRequestException extends RuntimeException {

  /** What is wrong with the request. */
  public enum Reason {
    /**
     * topK outside [{@link ClassificationRequest#TOP_K_MIN}, {@link
     * ClassificationRequest#TOP_K_MAX}].
     */
    TOP_K,
    /** A class index the model does not have. */
    CLASS_INDEX,
    /** A tensor whose element count is not the model's input size. */
    TENSOR_SIZE,
    /** No image at all. */
    NO_IMAGES,
    /** More images than {@code classifier.max-images-per-request}. */
    TOO_MANY_IMAGES
  }

  private final Reason reason;

  public InvalidRequestException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
