package dev.classifier.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** JPEG's marker codes, and the search for the marker that ends a scan's entropy-coded data. */
final class JpegMarkers {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static final int SOF0 = 0xC0;
  static final int SOF1 = 0xC1;
  static final int SOF2 = 0xC2;
  static final int DHT = 0xC4;
  static final int DAC = 0xCC;
  static final int SOI = 0xD8;
  static final int EOI = 0xD9;
  static final int SOS = 0xDA;
  static final int DQT = 0xDB;
  static final int DNL = 0xDC;
  static final int DRI = 0xDD;
  static final int APP0 = 0xE0;
  static final int APP1 = 0xE1;
  static final int APP2 = 0xE2;
  static final int APP14 = 0xEE;
  static final int COM = 0xFE;

  private JpegMarkers() {}

  /**
   * Index of the next marker after entropy-coded data in {@code b[at, end)} (0xFF 0x00 and RSTn
   * belong to the data), or -1 when the data has no end.
   */
  static int afterEntropyData(byte[] b, int at, int end) {
    int i = at;
    while (true) {
      i = indexOfFf(b, i, end);
      if (i < 0 || i + 1 >= end) {
        return -1;
      }
      int next = b[i + 1] & 0xFF;
      if (next == 0 || next >= 0xD0 && next <= 0xD7) {
        i += 2;
      } else if (next == 0xFF) {
        i += 1;
      } else {
        return i;
      }
    }
  }

  /**
   * First 0xFF at or after {@code from}, eight bytes at a time: entropy data is mostly not 0xFF.
   */
  private static int indexOfFf(byte[] b, int from, int end) {
    int i = from;
    for (; i + 8 <= end; i += 8) {
      long inverted = ~(long) LONGS.get(b, i);
      // A byte of ~x is zero exactly where x is 0xFF; the lowest flagged byte is the first one.
      long zero = (inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L;
      if (zero != 0) {
        return i + (Long.numberOfTrailingZeros(zero) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (b[i] == (byte) 0xFF) {
        return i;
      }
    }
    return -1;
  }
}
