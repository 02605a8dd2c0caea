package dev.classifier.image;

/**
 * The resize and tensor writing as they were before the single-pass rewrite (Resampler and
 * TensorWriter at b081e43, with the same {@link FilterAxis} weights, which did not change), kept as
 * the oracle the fast path must match bit for bit and as the "before" of {@link ResizeBench}.
 * Straightforward on purpose: the whole resized image as a float array, then a second pass that
 * orients and scales it.
 */
final class ReferenceResize {

  private ReferenceResize() {}

  /** Stored-orientation R, G, B floats in 0..255, {@code width x height}. */
  static float[] resize(SrgbRows source, int width, int height) {
    int srcW = source.width();
    int srcH = source.height();
    FilterAxis horizontal = FilterAxis.of(srcW, width);
    FilterAxis vertical = FilterAxis.of(srcH, height);
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

  private static void convolve(
      float[] in,
      int inBase,
      int inStep,
      FilterAxis axis,
      float[] out,
      int outBase,
      int outStep,
      int n) {
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

  /** The tensor in {@code layout}, oriented, scaled to x / 127.5 − 1. */
  static float[] tensor(
      SrgbRows source, int orientation, int width, int height, TensorLayout layout) {
    boolean swap = Orientation.swapsAxes(orientation);
    int storedWidth = swap ? height : width;
    int storedHeight = swap ? width : height;
    float[] rgb = resize(source, storedWidth, storedHeight);
    float[] out = new float[3 * width * height];
    int plane = width * height;
    for (int y = 0; y < height; y++) {
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

  private static float scale(float value) {
    return (float) (value * (1.0 / 127.5) - 1.0);
  }
}
