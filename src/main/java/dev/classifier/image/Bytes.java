package dev.classifier.image;

/**
 * Unsigned big- and little-endian fields of an array. Callers check that the field lies inside the
 * slice they scan before reading it; these only assemble the bytes.
 */
final class Bytes {

  private Bytes() {}

  static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  static int u16(byte[] b, int i, boolean little) {
    return little ? (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 : (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
  }

  static int u16be(byte[] b, int i) {
    return u16(b, i, false);
  }

  static int u16le(byte[] b, int i) {
    return u16(b, i, true);
  }

  static int u24le(byte[] b, int i) {
    return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16;
  }

  static long u32(byte[] b, int i, boolean little) {
    return little
        ? (b[i] & 0xFFL)
            | (b[i + 1] & 0xFFL) << 8
            | (b[i + 2] & 0xFFL) << 16
            | (b[i + 3] & 0xFFL) << 24
        : (b[i] & 0xFFL) << 24
            | (b[i + 1] & 0xFFL) << 16
            | (b[i + 2] & 0xFFL) << 8
            | (b[i + 3] & 0xFFL);
  }

  static long u32be(byte[] b, int i) {
    return u32(b, i, false);
  }

  static long u32le(byte[] b, int i) {
    return u32(b, i, true);
  }

  /** An unsigned 64-bit field, or -1 when it does not fit in a long (no slice is that large). */
  static long u64(byte[] b, int i, boolean little) {
    long high = u32(b, little ? i + 4 : i, little);
    long low = u32(b, little ? i : i + 4, little);
    return high >= 1L << 31 ? -1 : high << 32 | low;
  }

  static void put16(byte[] b, int i, int value, boolean little) {
    if (little) {
      b[i] = (byte) value;
      b[i + 1] = (byte) (value >> 8);
    } else {
      b[i] = (byte) (value >> 8);
      b[i + 1] = (byte) value;
    }
  }

  static void put32(byte[] b, int i, long value, boolean little) {
    for (int k = 0; k < 4; k++) {
      b[i + (little ? k : 3 - k)] = (byte) (value >> (8 * k));
    }
  }

  static void put64(byte[] b, int i, long value, boolean little) {
    for (int k = 0; k < 8; k++) {
      b[i + (little ? k : 7 - k)] = (byte) (value >> (8 * k));
    }
  }

  static boolean startsWith(byte[] b, int at, int end, String ascii) {
    if (at < 0 || end - at < ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[at + i] != (byte) ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
