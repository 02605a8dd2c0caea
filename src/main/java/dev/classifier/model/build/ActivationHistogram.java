package dev.classifier.model.build;

/**
 * The distribution of one activation tensor over all calibration images, in fixed memory: {@value
 * #BINS} equal bins whose width is a power of two and grows (merging bins exactly) when a new image
 * goes beyond the range seen so far. One pass, about a nanosecond per value, so a full Xception
 * image (~30 million activations) costs tens of milliseconds and nothing is kept of it.
 *
 * <p>Percentiles are resolved to a bin: the result lies at most one bin width (range / {@value
 * #BINS} at worst twice that) outside the exact percentile, always on the wide side, and never
 * beyond the observed minimum and maximum. A general-purpose quantile sketch (t-digest, KLL) costs
 * tens of nanoseconds per value, too slow for this volume, and buys accuracy that uint8
 * quantization (255 steps) cannot use.
 */
final class ActivationHistogram {

  static final int BINS = 4096;

  private final long[] counts = new long[BINS];

  /**
   * Bin i covers [(origin + i) × width, (origin + i + 1) × width); width 0 until the first value.
   */
  private double width;

  private long origin;
  private long total;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /** Calibrated range of the tensor: the low and high percentiles (see {@link #range}). */
  record Range(double min, double max) {}

  long total() {
    return total;
  }

  double min() {
    return min;
  }

  double max() {
    return max;
  }

  /**
   * Adds {@code values[0, length)}.
   *
   * @throws IllegalArgumentException on NaN or infinity: a float model that produces them cannot be
   *     calibrated
   */
  void add(float[] values, int length) {
    if (length == 0) {
      return;
    }
    float low = Float.POSITIVE_INFINITY;
    float high = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < length; i++) {
      float v = values[i];
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    if (!Float.isFinite(low) || !Float.isFinite(high)) {
      throw new IllegalArgumentException("activation is not finite (NaN or infinity)");
    }
    cover(Math.min(min, low), Math.max(max, high));
    min = Math.min(min, low);
    max = Math.max(max, high);
    double inverse = 1 / width;
    long first = origin;
    for (int i = 0; i < length; i++) {
      counts[(int) ((long) Math.floor(values[i] * inverse) - first)]++;
    }
    total += length;
  }

  /**
   * The range that drops the {@code (100 − percentile) %} most extreme values at each end: from the
   * lower edge of the bin holding the value of rank {@code floor((1 − p) · n) + 1} to the upper
   * edge of the bin holding rank {@code ceil(p · n)}, clamped to the observed [min, max]. At 100 it
   * is exactly [min, max].
   */
  Range range(double percentile) {
    if (!(percentile > 50 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in (50, 100]: " + percentile);
    }
    if (total == 0) {
      throw new IllegalStateException("no values recorded");
    }
    double p = percentile / 100;
    long lowRank = (long) Math.floor((1 - p) * total) + 1;
    long highRank = Math.max(lowRank, (long) Math.ceil(p * total));
    double low = Math.max(min, (origin + binOfRank(lowRank)) * width);
    double high = Math.min(max, (origin + binOfRank(highRank) + 1) * width);
    return new Range(low, high);
  }

  private int binOfRank(long rank) {
    long seen = 0;
    for (int i = 0; i < BINS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return i;
      }
    }
    return BINS - 1;
  }

  /** Widens the bins (by powers of two) and moves the origin until [low, high] fits. */
  private void cover(double low, double high) {
    double newWidth = width;
    if (newWidth == 0) {
      // the smallest power of two that spreads the first values over the bins
      double span = Math.max(high - low, Math.max(Math.abs(high), Math.abs(low)) * 0x1p-20);
      newWidth = span > 0 ? Math.scalb(1.0, Math.getExponent(span / BINS)) : 0x1p-126;
    }
    while ((long) Math.floor(high / newWidth) - (long) Math.floor(low / newWidth) >= BINS) {
      newWidth *= 2;
    }
    long newOrigin = (long) Math.floor(low / newWidth);
    if (newWidth == width && newOrigin == origin) {
      return;
    }
    if (total > 0) {
      // old bin edges are multiples of the old width, a power of two times smaller than the new
      // one, so every old bin falls whole into one new bin (and the double arithmetic is exact)
      double ratio = width / newWidth;
      long[] merged = new long[BINS];
      for (int i = 0; i < BINS; i++) {
        if (counts[i] != 0) {
          merged[(int) ((long) Math.floor((origin + i) * ratio) - newOrigin)] += counts[i];
        }
      }
      System.arraycopy(merged, 0, counts, 0, BINS);
    }
    width = newWidth;
    origin = newOrigin;
  }
}
