package dev.classifier.image;

/**
 * One axis of {@link Resampler}'s separable filter, precomputed once per resize: output {@code i}
 * reads {@code count[i]} source samples from {@code start[i]} with {@code weights[i * taps ..]}.
 * Shrinking weighs each source sample by how much of the output's footprint it covers (area
 * averaging); enlarging interpolates linearly between the two nearest source pixel centres.
 */
record FilterAxis(int[] start, int[] count, float[] weights, int taps) {

  static FilterAxis of(int sourceLength, int targetLength) {
    double scale = (double) sourceLength / targetLength;
    // +2: rounding can make a footprint touch one more source sample than ceil(scale) + 1.
    int taps = scale >= 1 ? (int) Math.ceil(scale) + 2 : 2;
    int[] start = new int[targetLength];
    int[] count = new int[targetLength];
    float[] weights = new float[targetLength * taps];
    for (int i = 0; i < targetLength; i++) {
      if (scale >= 1) {
        double lo = i * scale;
        double hi = Math.min(sourceLength, (i + 1) * scale);
        int first = (int) Math.floor(lo);
        int last = Math.min(sourceLength, (int) Math.ceil(hi)) - 1;
        start[i] = first;
        count[i] = last - first + 1;
        for (int j = first; j <= last; j++) {
          double overlap = Math.max(0, Math.min(hi, j + 1) - Math.max(lo, j));
          weights[i * taps + j - first] = (float) (overlap / scale);
        }
      } else {
        double centre = (i + 0.5) * scale - 0.5;
        int left = (int) Math.floor(centre);
        float f = (float) (centre - left);
        int a = Math.max(0, Math.min(sourceLength - 1, left));
        int b = Math.max(0, Math.min(sourceLength - 1, left + 1));
        start[i] = a;
        count[i] = b - a + 1;
        if (a == b) {
          weights[i * taps] = 1f;
        } else {
          weights[i * taps] = 1f - f;
          weights[i * taps + 1] = f;
        }
      }
    }
    return new FilterAxis(start, count, weights, taps);
  }
}
