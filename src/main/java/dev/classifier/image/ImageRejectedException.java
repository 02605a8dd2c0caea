package dev.classifier.image;

/**
 * An upload that cannot be turned into a tensor because of what the client sent (never a server
 * fault).
 */
public class ImageRejectedException extends RuntimeException {

  /**
   * Why the image was refused; the API maps each reason to its own status code and problem type.
   */
  public enum Reason {
    /** Not an image, or a format this service does not decode (415). */
    UNSUPPORTED_FORMAT,
    /** Starts like a known format but is corrupt or truncated (422). */
    CORRUPT,
    /** Width × height, read from the header before decoding, is over the configured limit (413). */
    TOO_MANY_PIXELS
  }

  private final Reason reason;

  public ImageRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ImageRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** "{format} image {detail}": bytes that start like {@code format} but cannot be decoded. */
  static ImageRejectedException corrupt(ImageFormat format, String detail) {
    return new ImageRejectedException(Reason.CORRUPT, format.formatName() + " image " + detail);
  }

  static ImageRejectedException corrupt(ImageFormat format, String detail, Throwable cause) {
    return new ImageRejectedException(
        Reason.CORRUPT, format.formatName() + " image " + detail, cause);
  }

  static ImageRejectedException tooManyPixels(long width, long height, long maxPixels) {
    return new ImageRejectedException(
        Reason.TOO_MANY_PIXELS,
        "image of "
            + width
            + "x"
            + height
            + " pixels is over the limit of "
            + maxPixels
            + " pixels (classifier.image.max-pixels)");
  }
}
