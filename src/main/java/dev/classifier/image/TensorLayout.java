package dev.classifier.image;

/**
 * Memory order of one image's pixels in the model's input tensor, detected from the model's
 * declared input shape: NHWC for Keras/tf2onnx exports ({@code [N,H,W,3]}), NCHW for PyTorch/timm
 * exports ({@code [N,3,H,W]}).
 */
public enum TensorLayout {
  NHWC,
  NCHW
}
