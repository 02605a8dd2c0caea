package dev.classifier.model.compare;

import java.util.stream.IntStream;

/**
 * How closely a candidate model's class probabilities follow a reference's, accumulated image by
 * image: top-1 agreement, top-5 overlap, mean Kullback-Leibler divergence KL(reference ‖ candidate)
 * in nats, and the largest difference of any one probability.
 */
final class Agreement {

  static final int TOP_K = 5;

  /**
   * Candidate probabilities are floored here inside the logarithm, so that a class the candidate
   * rounds to 0 costs a large but finite divergence; float32 softmax outputs are rarely below it.
   */
  static final double MIN_PROBABILITY = 1e-12;

  /**
   * @param top5Overlap mean share of the reference's top 5 classes that are also in the candidate's
   *     top 5 (top k with k = min(5, classes))
   * @param meanKl mean KL(reference ‖ candidate) in nats
   * @param maxAbsDiff max over images and classes of |p_reference − p_candidate|
   */
  record Figures(
      int images, int top1Agreements, double top5Overlap, double meanKl, double maxAbsDiff) {}

  private int images;
  private int top1Agreements;
  private double overlapSum;
  private double klSum;
  private double maxAbsDiff;

  void add(float[] reference, float[] candidate) {
    if (reference.length != candidate.length) {
      throw new IllegalArgumentException(
          "the models have different class counts: "
              + reference.length
              + " and "
              + candidate.length);
    }
    int k = Math.min(TOP_K, reference.length);
    int[] r = topK(reference, k);
    int[] c = topK(candidate, k);
    images++;
    if (r[0] == c[0]) {
      top1Agreements++;
    }
    int common = 0;
    for (int a : r) {
      for (int b : c) {
        if (a == b) {
          common++;
        }
      }
    }
    overlapSum += (double) common / k;
    klSum += kl(reference, candidate);
    for (int i = 0; i < reference.length; i++) {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs((double) reference[i] - candidate[i]));
    }
  }

  Figures figures() {
    if (images == 0) {
      return new Figures(0, 0, 0, 0, 0);
    }
    return new Figures(images, top1Agreements, overlapSum / images, klSum / images, maxAbsDiff);
  }

  /**
   * Σ p·ln(p / q) over the classes where p > 0, with q floored at {@value #MIN_PROBABILITY} (or at
   * p where p is smaller still, so that identical distributions give exactly 0).
   */
  static double kl(float[] p, float[] q) {
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        double floor = Math.min(p[i], MIN_PROBABILITY);
        sum += p[i] * Math.log(p[i] / Math.max(q[i], floor));
      }
    }
    return sum;
  }

  /** Indices of the k largest values, largest first; equal values by lower index. */
  static int[] topK(float[] p, int k) {
    return IntStream.range(0, p.length)
        .boxed()
        .sorted((a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b))
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }
}
