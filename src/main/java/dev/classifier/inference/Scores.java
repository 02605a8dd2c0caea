package dev.classifier.inference;

/** Turns a model's output row into probabilities and picks the best classes. */
public final class Scores {

  private Scores() {}

  /**
   * Numerically stable softmax: subtracting the maximum keeps {@code exp} finite for any logits.
   */
  static float[] softmax(float[] logits) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] exps = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      exps[i] = Math.exp(logits[i] - max);
      sum += exps[i];
    }
    float[] probabilities = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      probabilities[i] = (float) (exps[i] / sum);
    }
    return probabilities;
  }

  /**
   * Whether a row already looks like a probability distribution: every value in [0, 1] and a sum
   * within 1e-3 of 1. Logits of a real classifier essentially never pass this.
   */
  static boolean looksLikeProbabilities(float[] row) {
    double sum = 0;
    for (float v : row) {
      if (!(v >= 0f && v <= 1f)) {
        return false;
      }
      sum += v;
    }
    return Math.abs(sum - 1.0) < 1e-3;
  }

  /**
   * The indices of the {@code k} highest scores, highest first; equal scores keep the lower index
   * first so results are deterministic.
   */
  public static int[] topK(float[] scores, int k) {
    int n = Math.min(k, scores.length);
    int[] best = new int[n];
    int size = 0;
    // Insertion into a sorted prefix: O(classes × k), and k is small in practice.
    for (int i = 0; i < scores.length; i++) {
      float s = scores[i];
      if (size == n && !(s > scores[best[n - 1]])) {
        continue;
      }
      int pos = size < n ? size++ : n - 1;
      while (pos > 0 && s > scores[best[pos - 1]]) {
        best[pos] = best[pos - 1];
        pos--;
      }
      best[pos] = i;
    }
    // NaN scores are never ranked, so fewer than k may be found.
    return size == n ? best : java.util.Arrays.copyOf(best, size);
  }
}
