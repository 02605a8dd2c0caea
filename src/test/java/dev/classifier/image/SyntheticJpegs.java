package dev.classifier.image;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Hand-written progressive JPEGs of a flat grey picture with any scan script, for the scan-count
 * and progression tests: ImageIO's writer only writes its one default script. Every coefficient is
 * zero, so a scan costs almost no bytes (DC scans one bit per block, AC scans a few end-of-band
 * runs) while the decoder still visits every block: the cheapest way to make a decoder work.
 */
final class SyntheticJpegs {

  /** One scan: spectral band {@code ss..se}, successive approximation {@code ah -> al}. */
  record Scan(int ss, int se, int ah, int al) {}

  private SyntheticJpegs() {}

  /**
   * The full successive-approximation script for one component: DC and AC band 1..63 first at
   * {@code al}, then refined one bit at a time down to 0 (2 * (al + 1) scans).
   */
  static Scan[] fullRefinement(int al) {
    Scan[] scans = new Scan[2 * (al + 1)];
    int i = 0;
    scans[i++] = new Scan(0, 0, 0, al);
    scans[i++] = new Scan(1, 63, 0, al);
    for (int a = al; a > 0; a--) {
      scans[i++] = new Scan(0, 0, a, a - 1);
      scans[i++] = new Scan(1, 63, a, a - 1);
    }
    return scans;
  }

  /** A valid DC scan followed by {@code repeats} copies of the same AC scan. */
  static Scan[] repeatedAcScan(int repeats) {
    Scan[] scans = new Scan[1 + repeats];
    scans[0] = new Scan(0, 0, 0, 0);
    Arrays.fill(scans, 1, scans.length, new Scan(1, 63, 0, 0));
    return scans;
  }

  static byte[] grey(int width, int height, Scan... scans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    // DQT: table 0, 8-bit, all ones.
    byte[] dqt = new byte[65];
    Arrays.fill(dqt, 1, 65, (byte) 1);
    segment(out, 0xDB, dqt);
    // SOF2: 8-bit, one component (id 1, 1x1 sampling, table 0).
    segment(
        out,
        0xC2,
        new byte[] {
          8, (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width, 1, 1, 0x11, 0
        });
    // DHT DC 0: category 0 as the one-bit code '0'.
    byte[] dc = new byte[1 + 16 + 1];
    dc[0] = 0x00;
    dc[1] = 1;
    segment(out, 0xC4, dc);
    // DHT AC 0: EOB0..EOB14 (run-length symbols 0x00, 0x10 .. 0xE0), fifteen 4-bit codes.
    byte[] ac = new byte[1 + 16 + 15];
    ac[0] = 0x10;
    ac[4] = 15;
    for (int r = 0; r <= 14; r++) {
      ac[17 + r] = (byte) (r << 4);
    }
    segment(out, 0xC4, ac);
    long blocks = (long) ((width + 7) / 8) * ((height + 7) / 8);
    for (Scan scan : scans) {
      segment(
          out,
          0xDA,
          new byte[] {
            1, 1, 0x00, (byte) scan.ss(), (byte) scan.se(), (byte) (scan.ah() << 4 | scan.al())
          });
      Bits bits = new Bits(out);
      if (scan.ss() == 0) {
        // DC first: category 0 ('0') per block; DC refinement: one raw correction bit per block.
        for (long b = 0; b < blocks; b++) {
          bits.write(0, 1);
        }
      } else {
        long left = blocks;
        while (left > 0) {
          int run = (int) Math.min(left, 32767);
          int r = 31 - Integer.numberOfLeadingZeros(run);
          bits.write(r, 4);
          bits.write(run - (1 << r), r);
          left -= run;
        }
      }
      bits.flush();
    }
    out.write(0xFF);
    out.write(0xD9);
    return out.toByteArray();
  }

  private static void segment(ByteArrayOutputStream out, int marker, byte[] data) {
    out.write(0xFF);
    out.write(marker);
    out.write((data.length + 2) >> 8);
    out.write(data.length + 2);
    out.writeBytes(data);
  }

  /** MSB-first bit writer with JPEG byte stuffing (0xFF is followed by 0x00). */
  private static final class Bits {
    private final ByteArrayOutputStream out;
    private int acc;
    private int count;

    Bits(ByteArrayOutputStream out) {
      this.out = out;
    }

    void write(int value, int length) {
      for (int i = length - 1; i >= 0; i--) {
        acc = acc << 1 | (value >> i & 1);
        if (++count == 8) {
          emit();
        }
      }
    }

    void flush() {
      while (count != 0) {
        write(1, 1);
      }
    }

    private void emit() {
      out.write(acc);
      if (acc == 0xFF) {
        out.write(0);
      }
      acc = 0;
      count = 0;
    }
  }
}
