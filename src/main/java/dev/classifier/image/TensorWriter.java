package dev.classifier.image;

import java.util.Arrays;

/**
 * Writes the resized, still stored-orientation rows straight into the model's tensor, applying the
 * EXIF orientation and the model's {@link Normalization} on the way. Orienting after the resize is
 * exact (flips and transposes commute with a separable filter whose footprints are symmetric) and
 * touches only the output pixels instead of the decoded image.
 */
final class TensorWriter implements Resampler.RowSink {

  private final float[] tensor;
  private final int orientation;
  private final int width;
  private final int height;
  private final int storedWidth;
  private final int storedHeight;
  private final boolean nhwc;
  // Tensor channel c holds source channel source[c] (R, G, B) as source[c] * scale[c] + offset[c].
  private final int[] source;
  private final double[] scale;
  private final double[] offset;
  // Upright NHWC with R, G, B in order and one scale and offset for all three: a row's values land
  // side by side in the tensor, one formula for all, a loop the JIT vectorises.
  private final boolean contiguous;

  /**
   * @param width displayed width (stored height when the orientation transposes)
   */
  TensorWriter(int orientation, int width, int height, TensorLayout layout, Normalization norm) {
    this.tensor = new float[3 * width * height];
    this.orientation = orientation;
    this.width = width;
    this.height = height;
    boolean swap = Orientation.swapsAxes(orientation);
    this.storedWidth = swap ? height : width;
    this.storedHeight = swap ? width : height;
    this.nhwc = layout == TensorLayout.NHWC;
    this.source = norm.sourceChannels();
    this.scale = norm.scales();
    this.offset = norm.offsets();
    this.contiguous =
        orientation == 1
            && nhwc
            && Arrays.equals(source, new int[] {0, 1, 2})
            && scale[0] == scale[1]
            && scale[1] == scale[2]
            && offset[0] == offset[1]
            && offset[1] == offset[2];
  }

  int storedWidth() {
    return storedWidth;
  }

  int storedHeight() {
    return storedHeight;
  }

  /** The tensor, complete once every stored row has been written. */
  float[] tensor() {
    return tensor;
  }

  @Override
  public void row(int y, float[] rgb) {
    if (contiguous) {
      writeContiguous(y * storedWidth * 3, rgb);
      return;
    }
    int first = Orientation.displayedIndex(orientation, 0, y, storedWidth, storedHeight);
    int step = Orientation.displayedStep(orientation, y, storedWidth, storedHeight);
    int plane = width * height;
    // NHWC: a pixel's channels are adjacent; NCHW: a plane apart.
    int channel = nhwc ? 1 : plane;
    int pixel = nhwc ? 3 : 1;
    int s0 = source[0];
    int s1 = source[1];
    int s2 = source[2];
    double a0 = scale[0];
    double a1 = scale[1];
    double a2 = scale[2];
    double b0 = offset[0];
    double b1 = offset[1];
    double b2 = offset[2];
    for (int x = 0, s = 0, d = first; x < storedWidth; x++, s += 3, d += step) {
      // A pixel's three channels as separate statements rather than a loop over channels: in a
      // micro-benchmark on JDK 17 the looped float-double-float conversion ran about four times
      // slower. In double and rounded once, an integer level gives the float nearest the formula.
      double v0 = rgb[s + s0];
      double v1 = rgb[s + s1];
      double v2 = rgb[s + s2];
      int o = d * pixel;
      tensor[o] = (float) (v0 * a0 + b0);
      tensor[o + channel] = (float) (v1 * a1 + b1);
      tensor[o + 2 * channel] = (float) (v2 * a2 + b2);
    }
  }

  /** {@link #row} where the row is {@code rgb} as it is, from {@code first}: the same formula. */
  private void writeContiguous(int first, float[] rgb) {
    double a = scale[0];
    double b = offset[0];
    int n = storedWidth * 3;
    for (int i = 0; i < n; i++) {
      tensor[first + i] = (float) (rgb[i] * a + b);
    }
  }
}
