package dev.classifier.explain;

import dev.classifier.model.ClassifierHead;
import dev.classifier.model.ClassifierHead.FeatureLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes class activation maps from one image's feature map and the model's dense head. Exact for
 * a GlobalAveragePool → dense head, cheap (K × H × W multiply-adds per class: 0.2 M for Xception),
 * and needs no gradients. Thread-safe: holds only the immutable head.
 */
final class ClassActivationMaps {

  private final ClassifierHead head;

  ClassActivationMaps(ClassifierHead head) {
    this.head = head;
  }

  /**
   * @param features one image's feature map in the head's layout
   * @param shape that map's dimensions without the batch: {@code [K, H, W]} (NCHW) or {@code [H, W,
   *     K]} (NHWC)
   * @param classes class indices, each in {@code [0, C)}
   * @return one map per class, in the order asked
   */
  List<ActivationMap> compute(float[] features, int[] shape, int[] classes) {
    boolean nchw = head.layout() == FeatureLayout.NCHW;
    if (shape.length != 3) {
      throw new IllegalArgumentException("feature map shape " + Arrays.toString(shape));
    }
    int channels = nchw ? shape[0] : shape[2];
    int height = nchw ? shape[1] : shape[0];
    int width = nchw ? shape[2] : shape[1];
    if (channels != head.channels() || (long) channels * height * width != features.length) {
      throw new IllegalArgumentException(
          "feature map of shape "
              + Arrays.toString(shape)
              + " and "
              + features.length
              + " values for a head of "
              + head.channels()
              + " channels");
    }
    int n = classes.length;
    int positions = height * width;
    // The selected columns of W, gathered channel-major so the innermost loop runs over classes.
    float[] w = new float[channels * n];
    for (int i = 0; i < n; i++) {
      if (classes[i] < 0 || classes[i] >= head.classes()) {
        throw new IllegalArgumentException(
            "class " + classes[i] + " is not in [0, " + head.classes() + ")");
      }
      for (int k = 0; k < channels; k++) {
        w[k * n + i] = head.weight(k, classes[i]);
      }
    }
    // Accumulated in double: the map's mean must reproduce the logit to 1e-4 over 2048 terms.
    double[] sums = new double[positions * n];
    for (int p = 0; p < positions; p++) {
      int row = p * n;
      for (int k = 0; k < channels; k++) {
        double f = nchw ? features[k * positions + p] : features[p * channels + k];
        if (f == 0) {
          continue; // post-ReLU maps are mostly zero
        }
        int wk = k * n;
        for (int i = 0; i < n; i++) {
          sums[row + i] += f * w[wk + i];
        }
      }
    }
    List<ActivationMap> maps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] values = new float[positions];
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (int p = 0; p < positions; p++) {
        float v = (float) sums[p * n + i];
        values[p] = v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      maps.add(new ActivationMap(classes[i], width, height, min, max, values));
    }
    return maps;
  }
}
