package dev.classifier.explain;

/**
 * A class activation map: for one image and one class c, {@code M_c(x, y) = sum_k w[k, c] f_k(x,
 * y)} over the last feature map f (Zhou et al. 2016, arXiv 1512.04150). Raw, in the units of the
 * logit: the mean of the values plus the class's bias is exactly the logit, so maps of different
 * classes and images are comparable; {@code min} and {@code max} let a client normalise.
 *
 * @param width columns of the feature map (10 for Xception at 299 × 299)
 * @param height rows of the feature map
 * @param values {@code height × width} values, row-major, top row first, in the orientation of the
 *     upright image the model saw
 */
public record ActivationMap(
    int classIndex, int width, int height, float min, float max, float[] values) {

  public ActivationMap {
    if (values.length != width * height) {
      throw new IllegalArgumentException(
          width + "x" + height + " map needs " + width * height + " values, got " + values.length);
    }
  }

  /** The value at column {@code x}, row {@code y}. */
  public float at(int x, int y) {
    return values[y * width + x];
  }

  /** The mean over all positions: the global average pooling of the map. */
  public double mean() {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
