package dev.classifier.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builders of hostile and at-limit inputs, generated in the test: decompression bombs, forged
 * length fields, minimal hand-written TIFF, BMP, GIF and WebP files.
 */
final class HostileImages {

  private HostileImages() {}

  // ---- zlib bombs

  /**
   * A zlib stream that inflates to {@code 64 MiB × blocks} zeros: a 64 MiB raw deflate run
   * (byte-aligned by a sync flush, so it can be repeated: its back-references only reach zeros)
   * written {@code blocks} times, a final empty block and the Adler-32 of that many zeros.
   */
  static byte[] zlibZeros(int blocks) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] zeros = new byte[64 << 20];
    deflater.setInput(zeros);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    while (!deflater.needsInput()) {
      raw.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
    }
    int n;
    while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
      raw.write(buffer, 0, n);
    }
    deflater.end();
    byte[] run = raw.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x78);
    out.write(0xDA);
    for (int i = 0; i < blocks; i++) {
      out.writeBytes(run);
    }
    // Final fixed-Huffman block holding only end-of-block: bits 1, 01, 0000000.
    out.write(0x03);
    out.write(0x00);
    long total = (long) blocks << 26;
    long adler = (total % 65521) << 16 | 1;
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) adler).array());
    return out.toByteArray();
  }

  // ---- PNG

  static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    return out.toByteArray();
  }

  /** {@code png} with {@code chunks} inserted right after IHDR. */
  static byte[] pngWith(byte[] png, byte[]... chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, 33);
    for (byte[] c : chunks) {
      out.writeBytes(c);
    }
    out.write(png, 33, png.length - 33);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** zTXt: keyword, NUL, compression method 0, zlib data. */
  static byte[] ztxt(byte[] zlib) {
    return chunk("zTXt", concat(ascii("Comment\0\0"), zlib));
  }

  /** iTXt: keyword, NUL, compressed flag 1, method 0, empty language and translation, zlib. */
  static byte[] itxt(byte[] zlib) {
    return chunk("iTXt", concat(ascii("Comment\0\1\0\0\0"), zlib));
  }

  /** iCCP: profile name, NUL, method 0, zlib. */
  static byte[] iccp(byte[] zlib) {
    return chunk("iCCP", concat(ascii("ICC\0\0"), zlib));
  }

  /** A PNG of {@code width x height} grey pixels of one level, IDAT deflated (fast to build). */
  static byte[] flatPng(int width, int height, int colourType, int level) {
    int samples =
        switch (colourType) {
          case 0, 3 -> 1;
          case 2 -> 3;
          case 4 -> 2;
          default -> 4;
        };
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
    byte[] row = new byte[1 + width * samples];
    Arrays.fill(row, 1, row.length, (byte) level);
    Deflater deflater = new Deflater(1);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    for (int y = 0; y < height; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        idat.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      idat.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    out.writeBytes(chunk("IHDR", ihdr.array()));
    if (colourType == 3) {
      byte[] palette = new byte[768];
      for (int i = 0; i < 256; i++) {
        palette[3 * i] = (byte) i;
        palette[3 * i + 1] = (byte) (255 - i);
        palette[3 * i + 2] = (byte) (i / 2);
      }
      out.writeBytes(chunk("PLTE", palette));
    }
    out.writeBytes(chunk("IDAT", idat.toByteArray()));
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  // ---- JPEG

  /** {@code jpeg} with APP2 ICC_PROFILE chunks carrying {@code profile} inserted after SOI. */
  static byte[] jpegWithIcc(byte[] jpeg, byte[] profile) {
    int chunkSize = 65519;
    int chunks = (profile.length + chunkSize - 1) / chunkSize;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    for (int i = 0; i < chunks; i++) {
      int from = i * chunkSize;
      int n = Math.min(chunkSize, profile.length - from);
      out.write(0xFF);
      out.write(0xE2);
      int length = 2 + 12 + 2 + n;
      out.write(length >> 8);
      out.write(length);
      out.writeBytes(ascii("ICC_PROFILE\0"));
      out.write(i + 1);
      out.write(chunks);
      out.write(profile, from, n);
    }
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  // ---- BMP

  /** A bottom-up 24-bit BI_RGB BMP with a 40-byte header, every pixel (b, g, r). */
  static byte[] bmp24(int width, int height, int b, int g, int r) {
    int row = (width * 3 + 3) & ~3;
    int size = 54 + row * height;
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) 'B').put((byte) 'M').putInt(size).putInt(0).putInt(54);
    out.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24);
    out.putInt(0).putInt(row * height).putInt(2835).putInt(2835).putInt(0).putInt(0);
    byte[] line = new byte[row];
    for (int x = 0; x < width; x++) {
      line[3 * x] = (byte) b;
      line[3 * x + 1] = (byte) g;
      line[3 * x + 2] = (byte) r;
    }
    for (int y = 0; y < height; y++) {
      out.put(line);
    }
    return out.array();
  }

  /**
   * A bottom-up 1-bit BI_RGB BMP (black and white palette) in vertical stripes: the most pixels a
   * BMP can declare per byte of body without compression.
   */
  static byte[] bmp1(int width, int height) {
    int row = ((width + 31) / 32) * 4;
    int pixels = 54 + 8;
    long size = pixels + (long) row * height;
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) 'B').put((byte) 'M').putInt((int) size).putInt(0).putInt(pixels);
    out.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 1);
    out.putInt(0).putInt(row * height).putInt(2835).putInt(2835).putInt(2).putInt(0);
    out.putInt(0).putInt(0x00FFFFFF);
    byte[] line = new byte[row];
    Arrays.fill(line, 0, (width + 7) / 8, (byte) 0xF0);
    for (int y = 0; y < height; y++) {
      out.put(line);
    }
    return out.array();
  }

  /** A 24-bit BMP with a V5 header declaring an embedded profile at {@code at} of {@code size}. */
  static byte[] bmpV5WithProfile(int width, int height, int at, int size, byte[] appended) {
    int row = (width * 3 + 3) & ~3;
    int pixels = 14 + 124;
    int total = pixels + row * height + appended.length;
    ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) 'B').put((byte) 'M').putInt(total).putInt(0).putInt(pixels);
    out.putInt(124).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24);
    out.putInt(0).putInt(row * height).putInt(2835).putInt(2835).putInt(0).putInt(0);
    out.putInt(0).putInt(0).putInt(0).putInt(0); // masks
    out.putInt(0x4D424544); // 'MBED'
    out.put(new byte[36 + 12]); // endpoints, gamma
    out.putInt(4).putInt(at).putInt(size).putInt(0); // intent, profile data, size, reserved
    byte[] line = new byte[row];
    Arrays.fill(line, 0, width * 3, (byte) 0x80);
    for (int y = 0; y < height; y++) {
      out.put(line);
    }
    out.put(appended);
    return out.array();
  }

  // ---- GIF

  /** A 1-frame GIF of {@code width x height} in colour 0 (red), after {@code extensions}. */
  static byte[] gif(int width, int height, byte[] extensions) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii("GIF89a"));
    out.writeBytes(
        new byte[] {(byte) width, (byte) (width >> 8), (byte) height, (byte) (height >> 8)});
    out.write(0x80); // global colour table of 2 entries
    out.write(0);
    out.write(0);
    out.writeBytes(new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 255});
    out.writeBytes(extensions);
    out.write(0x2C);
    out.writeBytes(new byte[] {0, 0, 0, 0});
    out.writeBytes(
        new byte[] {(byte) width, (byte) (width >> 8), (byte) height, (byte) (height >> 8)});
    out.write(0);
    // LZW, minimum code size 2: clear, then index 0 runs; encoded by a tiny LZW writer.
    out.write(2);
    byte[] data = lzwZeros(width * height);
    for (int i = 0; i < data.length; i += 255) {
      int n = Math.min(255, data.length - i);
      out.write(n);
      out.write(data, i, n);
    }
    out.write(0);
    out.write(0x3B);
    return out.toByteArray();
  }

  /** A comment extension of {@code bytes} bytes in 255-byte sub-blocks. */
  static byte[] gifComment(int bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x21);
    out.write(0xFE);
    byte[] block = new byte[255];
    Arrays.fill(block, (byte) 'x');
    for (int left = bytes; left > 0; left -= 255) {
      int n = Math.min(255, left);
      out.write(n);
      out.write(block, 0, n);
    }
    out.write(0);
    return out.toByteArray();
  }

  /** LZW codes (minimum code size 2) for {@code count} pixels of index 0, clearing as it goes. */
  private static byte[] lzwZeros(int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] acc = {0, 0};
    java.util.function.IntConsumer emit =
        code -> {
          // Codes stay 3 bits wide: a clear code every 2 codes keeps the table from growing.
          acc[0] |= code << acc[1];
          acc[1] += 3;
          while (acc[1] >= 8) {
            out.write(acc[0] & 0xFF);
            acc[0] >>>= 8;
            acc[1] -= 8;
          }
        };
    for (int i = 0; i < count; i++) {
      emit.accept(4); // clear
      emit.accept(0); // index 0
    }
    emit.accept(5); // end of information
    if (acc[1] > 0) {
      out.write(acc[0] & 0xFF);
    }
    return out.toByteArray();
  }

  // ---- WebP

  /**
   * A lossless WebP of {@code width x height} in which every pixel costs zero bits: no transforms,
   * no colour cache, no meta codes, five single-symbol prefix codes (green 0, red 0, blue 0, alpha
   * 255, distance 0). The cheapest way to make the decoder fill a canvas.
   */
  static byte[] zeroBitWebp(int width, int height) {
    long bits = 0;
    int n = 0;
    long[] fields = {
      width - 1,
      14,
      height - 1,
      14,
      0,
      1,
      0,
      3, // size, no alpha, version 0
      0,
      1, // no transform
      0,
      1, // no colour cache
      0,
      1, // no meta prefix codes
      1,
      1,
      0,
      1,
      0,
      1,
      0,
      1, // green: simple, one symbol, 1-bit symbol 0
      1,
      1,
      0,
      1,
      0,
      1,
      0,
      1, // red
      1,
      1,
      0,
      1,
      0,
      1,
      0,
      1, // blue
      1,
      1,
      0,
      1,
      1,
      1,
      255,
      8, // alpha: simple, one symbol, 8-bit symbol 255
      1,
      1,
      0,
      1,
      0,
      1,
      0,
      1 // distance
    };
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.write(0x2F);
    for (int i = 0; i < fields.length; i += 2) {
      bits |= fields[i] << n;
      n += (int) fields[i + 1];
      while (n >= 8) {
        stream.write((int) (bits & 0xFF));
        bits >>>= 8;
        n -= 8;
      }
    }
    stream.write((int) bits);
    // TwelveMonkeys' bit reader refills eight bytes at a time.
    stream.writeBytes(new byte[16]);
    return riff(webpChunk("VP8L", stream.toByteArray()));
  }

  /** LSB-first bit writer for VP8L streams. */
  private static final class Bits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long acc;
    private int n;

    Bits put(long value, int bits) {
      for (int i = 0; i < bits; i++) {
        acc |= ((value >> i) & 1) << n;
        if (++n == 8) {
          out.write((int) acc);
          acc = 0;
          n = 0;
        }
      }
      return this;
    }

    /** A canonical prefix code's bits: most significant first, as VP8L reads them. */
    Bits code(int code, int length) {
      for (int i = length - 1; i >= 0; i--) {
        put(code >> i, 1);
      }
      return this;
    }

    byte[] bytes() {
      if (n > 0) {
        out.write((int) acc);
      }
      out.writeBytes(new byte[16]);
      return out.toByteArray();
    }
  }

  /** A simple prefix code with one 1-bit symbol (0 or 1), costing no bits per use. */
  private static void simpleCode(Bits bits, int symbol) {
    bits.put(1, 1).put(0, 1).put(0, 1).put(symbol, 1);
  }

  /**
   * A lossless WebP of {@code (4 * side) x (4 * side)} whose meta image (one pixel per 4x4 block)
   * gives every block its own prefix code group: {@code side * side} groups, each with five
   * single-symbol codes, so the bitstream is about 5 bytes per group. Every pixel is black.
   */
  static byte[] webpWithGroups(int side) {
    int size = 4 * side;
    Bits bits = new Bits();
    bits.put(0x2F, 8).put(size - 1, 14).put(size - 1, 14).put(0, 1).put(0, 3);
    bits.put(0, 1); // no transform
    bits.put(0, 1); // no colour cache
    bits.put(1, 1).put(0, 3); // meta prefix codes, 2^2-pixel blocks
    bits.put(0, 1); // the meta image: no colour cache
    // Meta image codes. Green (280 symbols): 232 of 8 bits, 48 of 9, through a code length code
    // of two 1-bit symbols (8 -> '0', 9 -> '1').
    bits.put(0, 1).put(15, 4); // normal code, 19 code length code lengths
    int[] order = {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    for (int symbol : order) {
      bits.put(symbol == 8 || symbol == 9 ? 1 : 0, 3);
    }
    bits.put(0, 1); // all 280 lengths coded
    for (int s = 0; s < 280; s++) {
      bits.code(s < 232 ? 0 : 1, 1);
    }
    // Red (256 symbols, all 8 bits): a code length code with the one symbol 8 (no bits each).
    bits.put(0, 1).put(15, 4);
    for (int symbol : order) {
      bits.put(symbol == 8 ? 1 : 0, 3);
    }
    bits.put(0, 1);
    simpleCode(bits, 0); // blue
    simpleCode(bits, 0); // alpha (0: the meta image's alpha does not matter)
    simpleCode(bits, 0); // distance
    int groups = side * side;
    for (int i = 0; i < groups; i++) {
      int green = i & 0xFF;
      // Canonical codes: 8-bit symbols 0..231 are codes 0..231, 9-bit 232..279 follow at 464.
      if (green < 232) {
        bits.code(green, 8);
      } else {
        bits.code(464 + green - 232, 9);
      }
      bits.code(i >> 8, 8); // red
    }
    for (int g = 0; g < groups; g++) {
      for (int c = 0; c < 5; c++) {
        simpleCode(bits, 0);
      }
    }
    return riff(webpChunk("VP8L", bits.bytes()));
  }

  static byte[] webpChunk(String fourcc, byte[] data) {
    ByteBuffer out =
        ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
    out.put(ascii(fourcc)).putInt(data.length).put(data);
    return out.array();
  }

  static byte[] riff(byte[]... chunks) {
    byte[] body = concat(chunks);
    ByteBuffer out = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(ascii("RIFF")).putInt(4 + body.length).put(ascii("WEBP")).put(body);
    return out.array();
  }
}
