package dev.classifier.inference;

import dev.classifier.image.TensorLayout;
import java.util.Arrays;

/**
 * The model's declared input and output, checked once at start-up: what the image pipeline must
 * produce ({@code height × width × 3} in {@code layout}) and how many classes each output row has.
 *
 * @param inputShape as declared, -1 for a dynamic dimension (the batch)
 */
public record ModelSignature(
    String inputName,
    long[] inputShape,
    TensorLayout layout,
    int height,
    int width,
    String outputName,
    long[] outputShape,
    int classes) {

  /** Floats in one image's slice of the input tensor. */
  public int imageSize() {
    return 3 * height * width;
  }

  /**
   * Detects the layout from a rank-4 input: {@code [N,H,W,3]} is NHWC (Keras/tf2onnx), {@code
   * [N,3,H,W]} NCHW (PyTorch/timm).
   *
   * @throws IllegalArgumentException naming what the model actually declares when it is neither
   */
  static ModelSignature detect(
      String inputName, long[] inputShape, String outputName, long[] outputShape) {
    if (inputShape.length != 4) {
      throw new IllegalArgumentException(
          "model input '"
              + inputName
              + "' has shape "
              + Arrays.toString(inputShape)
              + "; expected [N,H,W,3] (NHWC) or [N,3,H,W] (NCHW)");
    }
    TensorLayout layout;
    long height;
    long width;
    if (inputShape[3] == 3) {
      layout = TensorLayout.NHWC;
      height = inputShape[1];
      width = inputShape[2];
    } else if (inputShape[1] == 3) {
      layout = TensorLayout.NCHW;
      height = inputShape[2];
      width = inputShape[3];
    } else {
      throw new IllegalArgumentException(
          "model input '"
              + inputName
              + "' has shape "
              + Arrays.toString(inputShape)
              + "; neither dimension 1 nor 3 is 3 colour channels");
    }
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "model input '"
              + inputName
              + "' has shape "
              + Arrays.toString(inputShape)
              + "; the spatial size must be fixed");
    }
    if (outputShape.length != 2 || outputShape[1] <= 0) {
      throw new IllegalArgumentException(
          "model output '"
              + outputName
              + "' has shape "
              + Arrays.toString(outputShape)
              + "; expected [N,classes]");
    }
    return new ModelSignature(
        inputName,
        inputShape,
        layout,
        (int) height,
        (int) width,
        outputName,
        outputShape,
        (int) outputShape[1]);
  }
}
