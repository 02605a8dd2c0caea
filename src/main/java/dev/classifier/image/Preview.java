package dev.classifier.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * The upright (EXIF-oriented) sRGB picture a person sees, at its own aspect ratio and at most
 * {@code maxSide} pixels on its long side and never larger than the upload: what a class activation
 * map is drawn over. Resampled from the same decode as the tensor (area-averaged, or bilinear where
 * that decode is smaller than the preview), as a second output of its single pass over the decoded
 * rows; each channel rounded to the nearest level.
 */
final class Preview implements Resampler.RowSink {

  private final BufferedImage image;
  private final int[] pixels;
  private final int orientation;
  private final int storedWidth;
  private final int storedHeight;

  /** The preview of a decode, sized from the upload's full stored size, which fixes its aspect. */
  static Preview of(ImageDecoder.Decoded decoded, int maxSide) {
    return new Preview(
        decoded.orientation(), decoded.storedWidth(), decoded.storedHeight(), maxSide);
  }

  private Preview(int orientation, int storedWidth, int storedHeight, int maxSide) {
    int[] stored = storedSize(storedWidth, storedHeight, maxSide);
    boolean swap = Orientation.swapsAxes(orientation);
    int width = swap ? stored[1] : stored[0];
    int height = swap ? stored[0] : stored[1];
    this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    this.pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    this.orientation = orientation;
    this.storedWidth = stored[0];
    this.storedHeight = stored[1];
  }

  /**
   * The preview's size before orientation, {width, height}: the long side scaled to maxSide
   * (whichever axis it is, so orientation does not change it), never enlarged.
   */
  private static int[] storedSize(int storedWidth, int storedHeight, int maxSide) {
    double scale = Math.min(1.0, (double) maxSide / Math.max(storedWidth, storedHeight));
    return new int[] {
      Math.max(1, (int) Math.round(storedWidth * scale)),
      Math.max(1, (int) Math.round(storedHeight * scale))
    };
  }

  /** The resize from {@code rows} (the decoded image) that fills this preview. */
  Resampler resampler(SrgbRows rows) {
    return new Resampler(rows.width(), rows.height(), storedWidth, storedHeight, this);
  }

  /** The picture, complete once every stored row has been written. */
  BufferedImage image() {
    return image;
  }

  @Override
  public void row(int y, float[] rgb) {
    int first = Orientation.displayedIndex(orientation, 0, y, storedWidth, storedHeight);
    int step = Orientation.displayedStep(orientation, y, storedWidth, storedHeight);
    for (int x = 0, s = 0, o = first; x < storedWidth; x++, s += 3, o += step) {
      pixels[o] = level(rgb[s]) << 16 | level(rgb[s + 1]) << 8 | level(rgb[s + 2]);
    }
  }

  private static int level(float value) {
    return Math.max(0, Math.min(255, Math.round(value)));
  }

  /**
   * What a preview costs on top of the tensor's resize, for a decode of {@code decodedWidth x
   * decodedHeight}: its pixels; per axis the filter's weights and the horizontal window padded to a
   * multiple of four taps (at most 8 bytes per decoded sample and 48 per output one); the filtered
   * rows under its tallest vertical footprint and their sum.
   */
  static long bytes(
      int storedWidth, int storedHeight, long decodedWidth, long decodedHeight, int maxSide) {
    int[] stored = storedSize(storedWidth, storedHeight, maxSide);
    long width = stored[0];
    long height = stored[1];
    long weights = 8 * (decodedWidth + decodedHeight) + 48 * (width + height);
    long rows = 12 * width * (decodedHeight / height + 4);
    return 4 * width * height + weights + rows + 4096;
  }
}
