package dev.classifier.model.build;

/**
 * Moves Keras weights into ONNX layouts and folds inference-mode batch norm into the preceding
 * convolution: {@code BN(conv(x, W)) = conv(x, W * s) + (beta - mean * s)} with {@code s = gamma /
 * sqrt(var + eps)}.
 */
final class KerasLayouts {

  private KerasLayouts() {}

  /** Keras (kh, kw, in, out) to ONNX Conv (out, in, kh, kw). */
  static float[] hwioToOihw(WeightTensor kernel) {
    int[] s = kernel.shape();
    int kh = s[0];
    int kw = s[1];
    int in = s[2];
    int out = s[3];
    float[] src = kernel.data();
    float[] dst = new float[src.length];
    for (int i = 0; i < kh; i++) {
      for (int j = 0; j < kw; j++) {
        for (int c = 0; c < in; c++) {
          int from = ((i * kw + j) * in + c) * out;
          for (int o = 0; o < out; o++) {
            dst[((o * in + c) * kh + i) * kw + j] = src[from + o];
          }
        }
      }
    }
    return dst;
  }

  /**
   * Keras depthwise (kh, kw, C, 1) to the weights of an ONNX Conv with group = C: (C, 1, kh, kw).
   */
  static float[] depthwiseToGroupConv(WeightTensor kernel) {
    int[] s = kernel.shape();
    int kh = s[0];
    int kw = s[1];
    int channels = s[2];
    float[] src = kernel.data();
    float[] dst = new float[src.length];
    for (int i = 0; i < kh; i++) {
      for (int j = 0; j < kw; j++) {
        for (int c = 0; c < channels; c++) {
          dst[(c * kh + i) * kw + j] = src[(i * kw + j) * channels + c];
        }
      }
    }
    return dst;
  }

  /** Per-channel scale and shift equivalent to a Keras BatchNormalization layer at inference. */
  record Affine(double[] scale, double[] shift) {}

  static Affine batchNorm(XceptionWeights weights, String layer) {
    float[] gamma = weights.get(layer, "gamma").data();
    float[] beta = weights.get(layer, "beta").data();
    float[] mean = weights.get(layer, "moving_mean").data();
    float[] variance = weights.get(layer, "moving_variance").data();
    double[] scale = new double[gamma.length];
    double[] shift = new double[gamma.length];
    for (int c = 0; c < gamma.length; c++) {
      scale[c] = gamma[c] / Math.sqrt((double) variance[c] + XceptionSpec.BN_EPSILON);
      shift[c] = beta[c] - mean[c] * scale[c];
    }
    return new Affine(scale, shift);
  }

  /** Multiplies every output channel of OIHW weights by its scale, in place. */
  static float[] scaleOutputChannels(float[] oihw, double[] scale) {
    int perChannel = oihw.length / scale.length;
    for (int o = 0; o < scale.length; o++) {
      for (int k = o * perChannel; k < (o + 1) * perChannel; k++) {
        oihw[k] = (float) (oihw[k] * scale[o]);
      }
    }
    return oihw;
  }

  static float[] toFloats(double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }
}
