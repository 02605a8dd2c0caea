package dev.classifier.model.build;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic stand-in for the ImageNet weights, for machines that cannot download them: same
 * architecture, speed and memory as the real model, meaningless labels. He-style uniform kernels
 * and batch-norm statistics away from the identity keep activations alive through all 36
 * convolutions, so that different images give visibly different, peaked class distributions.
 */
final class SyntheticWeights {

  /**
   * Scales the classifier so that the softmax is peaked (top-1 well above 1/1000) without
   * saturating at 1.0; tuned against the activation scale this initialisation produces at the
   * global average pool.
   */
  static final double DENSE_SCALE = 0.04;

  private SyntheticWeights() {}

  static XceptionWeights generate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Map<String, WeightTensor>> layers = new LinkedHashMap<>();
    for (XceptionSpec.Layer layer : XceptionSpec.layers()) {
      Map<String, WeightTensor> byRole = new LinkedHashMap<>();
      for (Map.Entry<String, int[]> w : layer.weights().entrySet()) {
        byRole.put(
            w.getKey(),
            new WeightTensor(w.getValue(), values(layer.kind(), w.getKey(), w.getValue(), random)));
      }
      layers.put(layer.name(), byRole);
    }
    return new XceptionWeights(layers);
  }

  private static float[] values(
      XceptionSpec.Kind kind, String role, int[] shape, SplittableRandom random) {
    float[] v = new float[(int) WeightTensor.size(shape)];
    switch (role) {
      case "gamma" -> fill(v, random, 0.5, 1.5);
      case "beta", "moving_mean" -> fill(v, random, -0.2, 0.2);
      case "moving_variance" -> fill(v, random, 0.5, 2.0);
      case "bias" -> fill(v, random, -0.5, 0.5);
      case "depthwise_kernel" -> symmetric(v, random, Math.sqrt(3.0 / (shape[0] * shape[1])));
      default -> {
        int fanIn = v.length / shape[shape.length - 1];
        double scale = kind == XceptionSpec.Kind.DENSE ? DENSE_SCALE : 1.0;
        symmetric(v, random, scale * Math.sqrt(6.0 / fanIn));
        if (kind == XceptionSpec.Kind.DENSE) {
          centreColumns(v, shape[1]);
        }
      }
    }
    return v;
  }

  private static void fill(float[] v, SplittableRandom random, double from, double to) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextDouble(from, to);
    }
  }

  private static void symmetric(float[] v, SplittableRandom random, double limit) {
    fill(v, random, -limit, limit);
  }

  /**
   * Post-ReLU features share a large positive offset; zero-sum class columns stop that offset from
   * favouring the same class for every image.
   */
  private static void centreColumns(float[] kernel, int columns) {
    int rows = kernel.length / columns;
    for (int c = 0; c < columns; c++) {
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        sum += kernel[r * columns + c];
      }
      float mean = (float) (sum / rows);
      for (int r = 0; r < rows; r++) {
        kernel[r * columns + c] -= mean;
      }
    }
  }
}
