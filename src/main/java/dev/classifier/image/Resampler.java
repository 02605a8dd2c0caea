package dev.classifier.image;

/**
 * Separable resize to an exact output size (aspect ratio not kept). Shrinking uses area averaging:
 * each output pixel is the coverage-weighted mean of the source pixels under its footprint, which
 * is the box filter that cannot alias and is exact at integer ratios; enlarging (small uploads)
 * uses bilinear interpolation, because area averaging would degenerate into nearest-neighbour
 * blocks there. At a 1:1 ratio both are the identity.
 */
final class Resampler {

  private Resampler() {}

  /**
   * Output {@code i} reads {@code count[i]} source samples from {@code start[i]} with {@code
   * weights}.
   */
  record Axis(int[] start, int[] count, float[] weights, int taps) {

    static Axis of(int sourceLength, int targetLength) {
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
      return new Axis(start, count, weights, taps);
    }
  }

  /**
   * Resizes the whole source to {@code width x height}, interleaved R, G, B floats in 0..255.
   * Streams: each source row is read once, filtered horizontally and added into the output rows
   * whose footprint covers it, so memory is the output plus two rows whatever the source height.
   */
  static float[] resize(SrgbRows source, int width, int height) {
    int srcW = source.width();
    int srcH = source.height();
    Axis horizontal = Axis.of(srcW, width);
    Axis vertical = Axis.of(srcH, height);
    // Invert the vertical axis: for source row y, the output rows it feeds (in increasing order)
    // and weights.
    int[] offsets = new int[srcH + 1];
    for (int i = 0; i < height; i++) {
      for (int k = 0; k < vertical.count()[i]; k++) {
        offsets[vertical.start()[i] + k + 1]++;
      }
    }
    for (int y = 0; y < srcH; y++) {
      offsets[y + 1] += offsets[y];
    }
    int[] targets = new int[offsets[srcH]];
    float[] targetWeights = new float[offsets[srcH]];
    int[] fill = offsets.clone();
    for (int i = 0; i < height; i++) {
      for (int k = 0; k < vertical.count()[i]; k++) {
        int y = vertical.start()[i] + k;
        targets[fill[y]] = i;
        targetWeights[fill[y]++] = vertical.weights()[i * vertical.taps() + k];
      }
    }
    int stride = width * 3;
    float[] row = new float[srcW * 3];
    float[] narrow = new float[stride];
    float[] out = new float[height * stride];
    for (int y = 0; y < srcH; y++) {
      if (offsets[y] == offsets[y + 1]) {
        continue;
      }
      source.read(y, row);
      convolve(row, 0, 3, horizontal, narrow, 0, 3, width);
      for (int c = offsets[y]; c < offsets[y + 1]; c++) {
        float w = targetWeights[c];
        int o = targets[c] * stride;
        for (int i = 0; i < stride; i++) {
          out[o + i] += w * narrow[i];
        }
      }
    }
    return out;
  }

  /**
   * 1-D filter of an RGB line whose pixels are {@code step} floats apart, into a line of {@code n}
   * pixels.
   */
  private static void convolve(
      float[] in, int inBase, int inStep, Axis axis, float[] out, int outBase, int outStep, int n) {
    int[] start = axis.start();
    int[] count = axis.count();
    float[] weights = axis.weights();
    int taps = axis.taps();
    for (int i = 0; i < n; i++) {
      float r = 0f;
      float g = 0f;
      float b = 0f;
      int p = inBase + start[i] * inStep;
      for (int k = 0; k < count[i]; k++, p += inStep) {
        float w = weights[i * taps + k];
        r += w * in[p];
        g += w * in[p + 1];
        b += w * in[p + 2];
      }
      int o = outBase + i * outStep;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
}
