package dev.classifier.image;

/**
 * What a model's input tensor must hold for one image: its spatial size, memory layout and pixel
 * scaling.
 */
public record InputSpec(int width, int height, TensorLayout layout, Normalization normalization) {

  public InputSpec {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
    }
  }
}
