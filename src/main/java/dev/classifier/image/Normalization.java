package dev.classifier.image;

import java.util.Locale;

/**
 * How a model expects its input pixels scaled: Keras' {@code imagenet_utils.preprocess_input}
 * modes. A property of the model (recorded in its metadata by the builder), because a model fed the
 * wrong scaling answers confident nonsense.
 */
public enum Normalization {
  /** x / 127.5 − 1 in R, G, B: Keras Xception, Inception, MobileNet. */
  TF,
  /**
   * x / 255, then (v − mean) / std with ImageNet's mean and std, in R, G, B: torchvision models.
   */
  TORCH,
  /**
   * B, G, R order, minus ImageNet's mean pixel (103.939, 116.779, 123.68), unscaled: Caffe, Keras
   * VGG.
   */
  CAFFE;

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
        "unknown preprocessing '" + id + "'; expected one of tf, torch, caffe");
  }
}
