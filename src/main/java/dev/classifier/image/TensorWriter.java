package dev.classifier.image;

/**
 * Writes a resized, still stored-orientation RGB image into the model's tensor layout, applying the EXIF
 * orientation and the Keras "tf" scaling x / 127.5 − 1 on the way. Orienting after the resize is exact (flips
 * and transposes commute with a separable filter whose footprints are symmetric) and touches only 299 × 299
 * pixels instead of the decoded image.
 */
final class TensorWriter {

  private TensorWriter() {}

  /**
   * @param rgb stored-orientation pixels, interleaved R, G, B in 0..255, {@code storedWidth x storedHeight}
   * @param width displayed width (stored height when the orientation transposes)
   */
  static float[] write(float[] rgb, int storedWidth, int storedHeight, int orientation, int width, int height,
      TensorLayout layout) {
    float[] out = new float[3 * width * height];
    int plane = width * height;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int s = Orientation.storedIndex(orientation, x, y, storedWidth, storedHeight) * 3;
        if (layout == TensorLayout.NHWC) {
          int o = (y * width + x) * 3;
          out[o] = scale(rgb[s]);
          out[o + 1] = scale(rgb[s + 1]);
          out[o + 2] = scale(rgb[s + 2]);
        } else {
          int o = y * width + x;
          out[o] = scale(rgb[s]);
          out[plane + o] = scale(rgb[s + 1]);
          out[2 * plane + o] = scale(rgb[s + 2]);
        }
      }
    }
    return out;
  }

  /** Computed in double and rounded once, so an integer level x gives the float nearest to x / 127.5 − 1. */
  static float scale(float value) {
    return (float) (value / 127.5 - 1.0);
  }
}
