package dev.classifier.image;

/**
 * [from, to) index ranges in increasing order, as a growable int array: the parts of a file a
 * scanner keeps away from the decoder.
 */
final class Ranges {
  private int[] pairs = new int[16];
  private int size;

  void add(int from, int to) {
    if (size > 0 && pairs[2 * size - 1] == from) {
      pairs[2 * size - 1] = to;
      return;
    }
    if (2 * size == pairs.length) {
      pairs = java.util.Arrays.copyOf(pairs, pairs.length * 2);
    }
    pairs[2 * size] = from;
    pairs[2 * size + 1] = to;
    size++;
  }

  int size() {
    return size;
  }

  int from(int i) {
    return pairs[2 * i];
  }

  int to(int i) {
    return pairs[2 * i + 1];
  }

  /** Both lists' ranges in increasing order (they never overlap). */
  static Ranges merge(Ranges a, Ranges b) {
    Ranges out = new Ranges();
    int i = 0;
    int j = 0;
    while (i < a.size || j < b.size) {
      if (j == b.size || i < a.size && a.from(i) < b.from(j)) {
        out.add(a.from(i), a.to(i));
        i++;
      } else {
        out.add(b.from(j), b.to(j));
        j++;
      }
    }
    return out;
  }
}
