package dev.classifier.model;

/**
 * The dense classifier on top of a model's last feature map, as read from the ONNX file: scores are
 * {@code logit[c] = sum_k weight(k, c) * mean_xy f_k(x, y) + bias[c]}. Exists so that class
 * activation maps can be computed from the feature output alone, without gradients and without a
 * second model run.
 *
 * @param featureOutput the graph output carrying the feature map f (rank 4, float)
 * @param layout how that output is laid out per image
 * @param channels K, the feature channels (2048 for Xception)
 * @param classes C, the score classes (1000 for ImageNet)
 * @param weights {@code K × C} floats, channel-major: {@code weights[k * C + c]}; Gemm's {@code
 *     alpha} and {@code transB} already applied, int8 weights already dequantized
 * @param bias {@code C} floats, Gemm's {@code beta} already applied (zeros when the Gemm has none)
 */
public record ClassifierHead(
    String featureOutput,
    FeatureLayout layout,
    int channels,
    int classes,
    float[] weights,
    float[] bias) {

  /** Memory order of one image's feature map. */
  public enum FeatureLayout {
    /** {@code [K, H, W]}: what GlobalAveragePool reads, and what the Xception builder writes. */
    NCHW,
    /** {@code [H, W, K]}: a TensorFlow-style map transposed to NCHW inside the graph. */
    NHWC
  }

  public ClassifierHead {
    if (weights.length != (long) channels * classes || bias.length != classes) {
      throw new IllegalArgumentException(
          "a head of "
              + channels
              + " channels and "
              + classes
              + " classes needs "
              + (long) channels * classes
              + " weights and "
              + classes
              + " biases, got "
              + weights.length
              + " and "
              + bias.length);
    }
  }

  /** The dense weight from feature channel {@code k} to class {@code c}. */
  public float weight(int k, int c) {
    return weights[k * classes + c];
  }
}
