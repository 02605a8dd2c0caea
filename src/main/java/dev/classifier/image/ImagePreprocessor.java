package dev.classifier.image;

/**
 * The image package's one public door: bytes in, a normalised tensor of the model's input size out.
 * Thread-safe; called concurrently from request threads.
 */
public final class ImagePreprocessor {

  private final long maxPixels;

  /** @param maxPixels the largest width × height accepted, checked from the header before decoding */
  public ImagePreprocessor(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  /**
   * Sniffs the format, decodes (at reduced resolution where the format allows, never below the target size),
   * applies EXIF orientation, converts to sRGB RGB (alpha composited over white), resizes to
   * {@code width × height} and scales each channel to x / 127.5 − 1.
   *
   * @throws ImageRejectedException when the bytes are not a decodable image within the limits
   */
  public PreparedImage prepare(byte[] bytes, int width, int height, TensorLayout layout) {
    throw new UnsupportedOperationException("image pipeline not implemented yet");
  }
}
