package dev.classifier.oip;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Triton's classification extension (extension_classification.md): a requested output with {@code
 * "classification": N} becomes BYTES {@code [batch, N]} of {@code "score:index:label"}, best first.
 * The strings are Triton's (server src/classification.cc): the score as C++ {@code
 * std::to_string(float)} prints it, six decimals ({@code "0.723456"}); the class index; the label
 * only when the model has one for that index. Equal scores keep index order (Triton's sort leaves
 * them unspecified). N above the class count is clamped to it, as Triton does.
 */
public final class Classification {

  private Classification() {}

  /**
   * @param scores {@code batch × classes} scores, row-major
   * @param labels class names by index; a blank or missing one is left out of the string
   */
  public static OutputTensor topK(
      String name, float[] scores, int batch, int classes, int count, List<String> labels) {
    int k = Math.min(count, classes);
    List<byte[]> elements = new ArrayList<>(batch * k);
    for (int row = 0; row < batch; row++) {
      int offset = row * classes;
      for (int index : best(scores, offset, classes, k)) {
        elements.add(
            entry(scores[offset + index], index, index < labels.size() ? labels.get(index) : "")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    return new OutputTensor(
        name, Datatype.BYTES, new long[] {batch, k}, new TensorData.Bytes(elements));
  }

  /** One class's string, {@code score:index[:label]}. */
  public static String entry(float score, int index, String label) {
    String text = score(score) + ":" + index;
    return label == null || label.isEmpty() ? text : text + ":" + label;
  }

  /**
   * A score as C's {@code "%f"} prints it, which is what {@code std::to_string(float)} does: the
   * float's exact binary value rounded to six decimals, half to even.
   */
  static String score(float score) {
    if (Float.isNaN(score)) {
      return "nan";
    }
    if (Float.isInfinite(score)) {
      return score > 0 ? "inf" : "-inf";
    }
    String text = new BigDecimal(score).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    return Float.floatToRawIntBits(score) < 0 && !text.startsWith("-") ? "-" + text : text;
  }

  /** Indices of the k highest scores of one row, best first, ties by index; NaN ranks last. */
  private static int[] best(float[] scores, int offset, int classes, int k) {
    int[] chosen = new int[k];
    int size = 0;
    // Insertion into a sorted array of k: O(classes × k), for k up to the class count (1000).
    for (int index = 0; index < classes; index++) {
      float score = scores[offset + index];
      int at = size;
      while (at > 0 && better(score, scores[offset + chosen[at - 1]])) {
        at--;
      }
      if (at >= k) {
        continue;
      }
      int end = Math.min(size, k - 1);
      System.arraycopy(chosen, at, chosen, at + 1, end - at);
      chosen[at] = index;
      size = Math.min(size + 1, k);
    }
    return chosen;
  }

  private static boolean better(float score, float than) {
    if (Float.isNaN(score)) {
      return false;
    }
    return Float.isNaN(than) || score > than;
  }
}
