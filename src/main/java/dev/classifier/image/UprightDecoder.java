package dev.classifier.image;

import java.awt.image.BufferedImage;

/**
 * Decodes an upload into the upright (EXIF-oriented) sRGB picture a person sees, at its own aspect
 * ratio and at most {@code maxSide} pixels on its long side: what a class activation map is drawn
 * over. Uses the same decoder, limits and colour handling as {@link ImagePreprocessor}, so it
 * accepts and refuses exactly the same uploads; area-averaged from the (subsampled) decode, never
 * enlarged. Thread-safe.
 *
 * <p>A stop-gap that decodes a second time: once {@code PreparedImage.preview()} exists, the
 * preview of the one decode replaces it.
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
    // Subsampled to no less than maxSide on each stored axis, so the area average below only
    // shrinks.
    ImageDecoder.Decoded decoded = decoder.decode(decoder.plan(image, maxSide, maxSide), image);
    int orientation = decoded.orientation();
    boolean swap = Orientation.swapsAxes(orientation);
    int uprightWidth = swap ? decoded.storedHeight() : decoded.storedWidth();
    int uprightHeight = swap ? decoded.storedWidth() : decoded.storedHeight();
    double scale = Math.min(1.0, (double) maxSide / Math.max(uprightWidth, uprightHeight));
    int width = Math.max(1, (int) Math.round(uprightWidth * scale));
    int height = Math.max(1, (int) Math.round(uprightHeight * scale));
    int storedWidth = swap ? height : width;
    int storedHeight = swap ? width : height;
    float[] rgb = Resampler.resize(new SrgbRows(decoded.image()), storedWidth, storedHeight);
    int[] pixels = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int s = Orientation.storedIndex(orientation, x, y, storedWidth, storedHeight) * 3;
        pixels[y * width + x] = level(rgb[s]) << 16 | level(rgb[s + 1]) << 8 | level(rgb[s + 2]);
      }
    }
    BufferedImage upright = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    upright.setRGB(0, 0, width, height, pixels, 0, width);
    return upright;
  }

  private static int level(float value) {
    return Math.max(0, Math.min(255, Math.round(value)));
  }
}
