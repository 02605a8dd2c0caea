package dev.classifier.image;

import java.awt.image.BufferedImage;

/**
 * Decodes an upload into the upright (EXIF-oriented) sRGB picture a person sees, at its own aspect
 * ratio and at most {@code maxSide} pixels on its long side: what a class activation map is drawn
 * over. Uses the same decoder, limits, colour handling and {@link Preview} as {@link
 * ImagePreprocessor}, so it accepts and refuses exactly the same uploads and draws the same
 * picture. Thread-safe.
 *
 * <p>A stop-gap that decodes a second time: {@link PreparedImage#preview()} gives the same pixels
 * from the tensor's own decode (whenever {@code maxSide} is at least the tensor's sides, so that
 * both decodes are subsampled alike), and replaces it once callers have moved.
 */
public final class UprightDecoder {

  private final ImageDecoder decoder;

  public UprightDecoder(ImageLimits limits) {
    this.decoder = new ImageDecoder(limits, true);
  }

  /**
   * @throws ImageRejectedException when the bytes are not a decodable image within the limits
   */
  public BufferedImage decode(byte[] bytes, int maxSide) {
    if (maxSide <= 0) {
      throw new IllegalArgumentException("maxSide must be positive: " + maxSide);
    }
    EncodedImage image = EncodedImage.of(bytes);
    ImageDecoder.Decoded decoded = decoder.decode(decoder.plan(image, 1, 1, maxSide), image);
    SrgbRows rows = new SrgbRows(decoded.image());
    Preview preview = Preview.of(decoded, maxSide);
    Resampler.resize(rows, preview.resampler(rows));
    return preview.image();
  }
}
