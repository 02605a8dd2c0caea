package dev.classifier.core;

import java.util.List;

/**
 * A request's images as a door received them: encoded files to decode and preprocess, or tensors a
 * client already preprocessed into the model's input layout, which go straight to admission.
 */
public sealed interface Images permits Images.Encoded, Images.Tensors {

  int count();

  /** The bytes each image arrived as, for the request log. */
  List<Integer> sizes();

  /**
   * Encoded images (any supported format, sniffed from the bytes) lying in one body.
   *
   * @param body shared by every slice; the core reads it only until {@link Client#release()}
   */
  record Encoded(byte[] body, List<ImageSlice> slices) implements Images {

    public Encoded {
      slices = List.copyOf(slices);
    }

    @Override
    public int count() {
      return slices.size();
    }

    @Override
    public List<Integer> sizes() {
      return slices.stream().map(ImageSlice::length).toList();
    }
  }

  /**
   * Images already in the model's input layout: each exactly {@code ModelSignature.imageSize()}
   * floats, laid out and scaled as the model's {@code InputSpec} says.
   */
  record Tensors(List<float[]> tensors) implements Images {

    public Tensors {
      tensors = List.copyOf(tensors);
    }

    @Override
    public int count() {
      return tensors.size();
    }

    @Override
    public List<Integer> sizes() {
      return tensors.stream().map(tensor -> tensor.length * Float.BYTES).toList();
    }
  }
}
