package dev.classifier.image;

/**
 * Writes a resized, still stored-orientation RGB image into the model's tensor layout, applying the
 * EXIF orientation and the Keras "tf" scaling x / 127.5 − 1 on the way. Orienting after the resize
 * is exact (flips and transposes commute with a separable filter whose footprints are symmetric)
 * and touches only 299 × 299 pixels instead of the decoded image.
 */
final class TensorWriter {

  // x * (1 / 127.5) in double equals x / 127.5 to within a double ulp, far below float resolution,
  // and a
  // multiply is several times cheaper than a divide in a loop over 268 203 values. The exact-value
  // tests check
  // all 256 levels against the division.
  private static final double INVERSE_127_5 = 1.0 / 127.5;

  private TensorWriter() {}

  /**
   * @param rgb stored-orientation pixels, interleaved R, G, B in 0..255, {@code storedWidth x
   *     storedHeight}
   * @param width displayed width (stored height when the orientation transposes)
   */
  static float[] write(
      float[] rgb,
      int storedWidth,
      int storedHeight,
      int orientation,
      int width,
      int height,
      TensorLayout layout) {
    float[] out = new float[3 * width * height];
    int plane = width * height;
    for (int y = 0; y < height; y++) {
      // Along a displayed row the stored index moves by a constant step (±1 or ±storedWidth).
      int first = Orientation.storedIndex(orientation, 0, y, storedWidth, storedHeight);
      int step =
          width > 1
              ? Orientation.storedIndex(orientation, 1, y, storedWidth, storedHeight) - first
              : 0;
      int s = first * 3;
      int stride = step * 3;
      if (layout == TensorLayout.NHWC) {
        for (int x = 0, o = y * width * 3; x < width; x++, o += 3, s += stride) {
          out[o] = scale(rgb[s]);
          out[o + 1] = scale(rgb[s + 1]);
          out[o + 2] = scale(rgb[s + 2]);
        }
      } else {
        for (int x = 0, o = y * width; x < width; x++, o++, s += stride) {
          out[o] = scale(rgb[s]);
          out[plane + o] = scale(rgb[s + 1]);
          out[2 * plane + o] = scale(rgb[s + 2]);
        }
      }
    }
    return out;
  }

  /**
   * Computed in double and rounded once, so an integer level x gives the float nearest to x / 127.5
   * − 1.
   */
  static float scale(float value) {
    return (float) (value * INVERSE_127_5 - 1.0);
  }
}
