package dev.classifier.image;

import java.util.Locale;

/**
 * How a model expects its input pixels scaled: Keras' {@code imagenet_utils.preprocess_input}
 * modes. A property of the model (recorded in its metadata by the builder), because a model fed the
 * wrong scaling answers confident nonsense.
 */
public enum Normalization {
  /** x / 127.5 − 1 in R, G, B: Keras Xception, Inception, MobileNet. */
  TF(rgb(), same(1 / 127.5), same(-1)),
  /**
   * x / 255, then (v − mean) / std with ImageNet's mean and std, in R, G, B: torchvision models.
   */
  TORCH(
      rgb(),
      new double[] {1 / (255 * 0.229), 1 / (255 * 0.224), 1 / (255 * 0.225)},
      new double[] {-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225}),
  /**
   * B, G, R order, minus ImageNet's mean pixel (103.939, 116.779, 123.68), unscaled: Caffe, Keras
   * VGG.
   */
  CAFFE(new int[] {2, 1, 0}, same(1), new double[] {-103.939, -116.779, -123.68}),
  /**
   * R, G, B as 0..255, unscaled: a model that scales its own input (Keras {@code Rescaling} or
   * {@code Normalization} layers, imported by build-model --keras).
   */
  RAW(rgb(), same(1), same(0));

  // Tensor channel c is the source channel sourceChannels[c] (0 R, 1 G, 2 B) as x * scale + offset
  // in double: one multiply-add per value instead of Keras' chain of divisions, a few double ulps
  // from it and so the same float (NormalizationTest checks every level of every channel).
  private final int[] sourceChannels;
  private final double[] scales;
  private final double[] offsets;

  Normalization(int[] sourceChannels, double[] scales, double[] offsets) {
    this.sourceChannels = sourceChannels;
    this.scales = scales;
    this.offsets = offsets;
  }

  private static int[] rgb() {
    return new int[] {0, 1, 2};
  }

  private static double[] same(double value) {
    return new double[] {value, value, value};
  }

  int[] sourceChannels() {
    return sourceChannels.clone();
  }

  double[] scales() {
    return scales.clone();
  }

  double[] offsets() {
    return offsets.clone();
  }

  /** The lower-case name used in model metadata, configuration and model info. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Normalization of(String id) {
    for (Normalization n : values()) {
      if (n.id().equals(id)) {
        return n;
      }
    }
    throw new IllegalArgumentException(
        "unknown preprocessing '" + id + "'; expected one of tf, torch, caffe, raw");
  }
}
