package dev.classifier.model.build;

/**
 * The arithmetic of the QDQ model, kept apart from graph surgery so it can be checked on known
 * numbers. Weights are int8, symmetric, one scale per output channel, zero point 0, range [-127,
 * 127] (not -128, so that the range is symmetric and negating a weight never saturates). Biases are
 * int32 with scale {@code inputScale × weightScale[c]}, zero point 0: the scale at which ONNX
 * Runtime's QLinearConv and QGemm add the bias to their int32 accumulators, so the bias tensor is
 * taken over as it is when the QDQ nodes are fused. Activations are uint8, asymmetric, one scale
 * and zero point per tensor, with a range widened to include 0 (so that 0, the padding value and
 * ReLU's floor, is exact). Every rounding is to the nearest integer, ties to even, as ONNX's
 * QuantizeLinear rounds.
 */
final class QuantizationMath {

  static final int WEIGHT_MAX = 127;
  static final int ACTIVATION_MAX = 255;
  static final int BIAS_MAX = Integer.MAX_VALUE;

  private QuantizationMath() {}

  /** Scale and zero point of one uint8 activation tensor. */
  record ActivationParams(float scale, int zeroPoint) {

    /** What QuantizeLinear produces for {@code x}: saturated to [0, 255]. */
    int quantize(float x) {
      return (int) clamp(Math.rint(x / scale) + zeroPoint, 0, ACTIVATION_MAX);
    }
  }

  /**
   * @param values int8 values in the layout of the float tensor
   * @param scales one per channel along the quantization axis
   */
  record ChannelWeights(byte[] values, float[] scales) {}

  /**
   * uint8 parameters for a tensor whose values were calibrated to [min, max]: {@code scale = (max −
   * min) / 255} and {@code zeroPoint = round(−min / scale)} after widening the range to include 0.
   * A tensor that was always 0 gets scale 1 (any positive scale represents it exactly).
   */
  static ActivationParams activation(double min, double max) {
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
      throw new IllegalArgumentException("not a range: [" + min + ", " + max + "]");
    }
    double low = Math.min(min, 0);
    double high = Math.max(max, 0);
    if (high == low) {
      return new ActivationParams(1f, 0);
    }
    float scale = (float) ((high - low) / ACTIVATION_MAX);
    int zeroPoint = (int) clamp(Math.rint(-low / scale), 0, ACTIVATION_MAX);
    return new ActivationParams(scale, zeroPoint);
  }

  /**
   * Symmetric per-channel int8 quantization of a constant tensor.
   *
   * <p>Channel c gets {@code scale[c] = max(max|w_c| / 127, minScale[c])}, and each value {@code
   * round(w / scale[c])} clipped to [-127, 127]. The floor {@code minScale} lets the caller keep
   * the matching int32 bias in range (see {@link #biasFloor}); without it, a channel of near-zero
   * weights would get a scale so small that its bias overflows int32. A channel that is all zero
   * (and needs no floor) gets scale 1.
   *
   * @param dims the tensor's shape, row-major
   * @param axis the output-channel axis: 0 for Conv weights (OIHW, depthwise included), 1 for a
   *     Gemm's B [K, N] without transB, 0 with transB
   * @param minScale per-channel lower bound of the scale, or null for none
   */
  static ChannelWeights perChannelInt8(float[] w, long[] dims, int axis, float[] minScale) {
    int channels = Math.toIntExact(dims[axis]);
    long inner = 1;
    for (int d = axis + 1; d < dims.length; d++) {
      inner *= dims[d];
    }
    long size = 1;
    for (long d : dims) {
      size *= d;
    }
    if (size != w.length) {
      throw new IllegalArgumentException(
          "tensor of "
              + w.length
              + " values does not have shape "
              + java.util.Arrays.toString(dims));
    }
    double[] maxAbs = new double[channels];
    for (int i = 0; i < w.length; i++) {
      int c = (int) ((i / inner) % channels);
      maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
    }
    float[] scales = new float[channels];
    for (int c = 0; c < channels; c++) {
      float scale = (float) (maxAbs[c] / WEIGHT_MAX);
      if (minScale != null) {
        scale = Math.max(scale, minScale[c]);
      }
      scales[c] = scale > 0 ? scale : 1f;
    }
    byte[] q = new byte[w.length];
    for (int i = 0; i < w.length; i++) {
      int c = (int) ((i / inner) % channels);
      q[i] = (byte) clamp(Math.rint(w[i] / (double) scales[c]), -WEIGHT_MAX, WEIGHT_MAX);
    }
    return new ChannelWeights(q, scales);
  }

  /**
   * The smallest weight scale per channel at which the bias still fits int32: {@code |b[c]| /
   * (inputScale × (2³¹ − 1))}.
   */
  static float[] biasFloor(float[] bias, float inputScale) {
    float[] floor = new float[bias.length];
    for (int c = 0; c < bias.length; c++) {
      // rounded up so that |b| / (inputScale * floor) cannot exceed BIAS_MAX by float rounding
      floor[c] =
          bias[c] == 0
              ? 0
              : Math.nextUp((float) (Math.abs(bias[c]) / ((double) inputScale * BIAS_MAX)));
    }
    return floor;
  }

  /** Bias scales as QLinearConv and QGemm apply them: {@code inputScale × weightScale[c]}. */
  static float[] biasScales(float inputScale, float[] weightScales) {
    float[] scales = new float[weightScales.length];
    for (int c = 0; c < scales.length; c++) {
      scales[c] = inputScale * weightScales[c];
    }
    return scales;
  }

  /** {@code round(b[c] / biasScale[c])}, clipped to ±(2³¹ − 1). */
  static int[] int32Bias(float[] bias, float[] biasScales) {
    int[] q = new int[bias.length];
    for (int c = 0; c < bias.length; c++) {
      q[c] = (int) clamp(Math.rint(bias[c] / (double) biasScales[c]), -BIAS_MAX, BIAS_MAX);
    }
    return q;
  }

  private static double clamp(double v, double low, double high) {
    return Math.max(low, Math.min(high, v));
  }
}
