package dev.classifier.oip;

import java.util.List;

/** A tensor's elements, row-major, as the one datatype they have. */
public sealed interface TensorData {

  /** Elements in the tensor. */
  int count();

  /** FP32 elements. */
  record Fp32(float[] values) implements TensorData {
    @Override
    public int count() {
      return values.length;
    }
  }

  /** BYTES elements, each an arbitrary byte string (an encoded image file for this service). */
  record Bytes(List<byte[]> elements) implements TensorData {
    public Bytes {
      elements = List.copyOf(elements);
    }

    @Override
    public int count() {
      return elements.size();
    }
  }
}
