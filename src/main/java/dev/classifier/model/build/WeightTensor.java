package dev.classifier.model.build;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One Keras weight array, row-major in Keras' own layout (HWIO kernels, (3,3,C,1) depthwise
 * kernels).
 */
record WeightTensor(int[] shape, float[] data) {

  WeightTensor {
    if (size(shape) != data.length) {
      throw new IllegalArgumentException(
          "shape " + describe(shape) + " needs " + size(shape) + " values, got " + data.length);
    }
  }

  static long size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  static String describe(int[] shape) {
    return Arrays.stream(shape)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "(", ")"));
  }

  boolean hasShape(int[] expected) {
    return Arrays.equals(shape, expected);
  }
}
