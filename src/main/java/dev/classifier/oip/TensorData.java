package dev.classifier.oip;

import java.util.List;

/** A tensor's elements, row-major, as the one datatype they have. */
public sealed interface TensorData {

  /** Elements in the tensor. */
  int count();

  /**
   * This data, once it is checked to hold exactly the {@code elements} its tensor's shape says.
   *
   * @param where where the elements came from, as the client wrote them ("in 'data'")
   * @throws OipException 400 when the count differs
   */
  default TensorData matchingShape(String tensor, int elements, String where) {
    if (count() != elements) {
      throw OipException.invalid(
          "input '"
              + Text.clip(tensor)
              + "' has "
              + count()
              + " elements "
              + where
              + "; its shape says "
              + elements);
    }
    return this;
  }

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
