package dev.classifier.image;

/**
 * Reads a WebP lossless (VP8L) bitstream as far as its main image's prefix codes, without decoding
 * a pixel, to learn what TwelveMonkeys' decoder will allocate before it does. That decoder builds
 * five Huffman tables (at least 1 KB each) for every prefix code group, and the number of groups is
 * the largest value in the entropy-coded meta image: a few bytes can ask for 65536 groups, and a
 * stream read past its end (the decoder reads on, as zeros, one exception per bit) can fill them
 * all. So the transforms' sub-images and the meta image are decoded here for their bit lengths and
 * the largest group index (copies and colour cache hits repeat earlier pixels, so literals give the
 * maximum), every group's code lengths are read, and the table sizes are computed exactly as the
 * decoder will build them. A stream that needs bits beyond its chunk, or whose codes are not valid
 * prefix codes, is refused. Nothing here allocates by the image size.
 */
final class Vp8lScanner {

  /** A VP8L stream that cannot be decoded; the message says why. */
  static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message);
    }
  }

  private static final int[] CODE_LENGTH_ORDER = {
    17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  };
  private static final int LEVEL1_BITS = 8;

  /** A table's level-1 array (1 KB) with its object and list, as the decoder keeps them. */
  private static final long TABLE_BYTES = 1024 + 16 + 96;

  private final byte[] b;
  private final int end;
  private long bit;
  private final long maxGroups;
  private long bytes;

  private Vp8lScanner(byte[] b, int from, int end, long maxGroups) {
    this.b = b;
    this.end = end;
    this.bit = (long) from * 8;
    this.maxGroups = maxGroups;
  }

  /**
   * Bytes the decoder allocates for the prefix codes of the VP8L stream at {@code b[from, to)}
   * (with its 5-byte header if {@code header}, else an ALPH body of the given size).
   */
  static long codeBytes(byte[] b, int from, int to, int width, int height, boolean header)
      throws MalformedException {
    Vp8lScanner scan = new Vp8lScanner(b, from, to, 65536);
    if (header) {
      scan.bits(8 + 14 + 14 + 1 + 3);
    }
    scan.image(width, height, true);
    return scan.bytes;
  }

  private int bits(int n) throws MalformedException {
    if (bit + n > (long) end * 8) {
      throw new MalformedException("needs more bits than its chunk holds");
    }
    int value = 0;
    for (int i = 0; i < n; i++, bit++) {
      value |= ((b[(int) (bit >>> 3)] >> (bit & 7)) & 1) << i;
    }
    return value;
  }

  /** An entropy-coded image: transforms and meta codes only at the top level. */
  private void image(int width, int height, boolean top) throws MalformedException {
    int xSize = width;
    if (top) {
      int seen = 0;
      while (bits(1) == 1) {
        int type = bits(2);
        if ((seen & 1 << type) != 0) {
          throw new MalformedException("repeats a transform");
        }
        seen |= 1 << type;
        switch (type) {
          case 0, 1 -> {
            int sizeBits = bits(3) + 2;
            skipImage(subSample(xSize, sizeBits), subSample(height, sizeBits));
          }
          case 3 -> {
            int colours = bits(8) + 1;
            skipImage(colours, 1);
            int widthBits = colours <= 2 ? 3 : colours <= 4 ? 2 : colours <= 16 ? 1 : 0;
            xSize = subSample(xSize, widthBits);
          }
          default -> {}
        }
      }
    }
    int cacheBits = colourCacheBits();
    long groups = 1;
    if (top && bits(1) == 1) {
      int metaBits = bits(3) + 2;
      // The meta image is an entropy-coded image of its own, with its own colour cache.
      Code[] metaCodes = codes(colourCacheBits());
      groups = 1 + decodePixels(subSample(xSize, metaBits), subSample(height, metaBits), metaCodes);
      if (groups > maxGroups) {
        throw new MalformedException("has " + groups + " prefix code groups");
      }
    }
    for (long g = 0; g < groups; g++) {
      codes(cacheBits);
    }
    // The group array itself, and the decoder's group objects.
    bytes += 48 * groups;
  }

  private int colourCacheBits() throws MalformedException {
    if (bits(1) == 0) {
      return 0;
    }
    int cacheBits = bits(4);
    if (cacheBits < 1 || cacheBits > 11) {
      throw new MalformedException("has a colour cache of " + cacheBits + " bits");
    }
    return cacheBits;
  }

  /** A transform's sub-image: read for its length only. */
  private void skipImage(int width, int height) throws MalformedException {
    Code[] group = codes(colourCacheBits());
    decodePixels(width, height, group);
  }

  private Code[] codes(int cacheBits) throws MalformedException {
    int[] alphabets = {256 + 24 + (cacheBits > 0 ? 1 << cacheBits : 0), 256, 256, 256, 40};
    Code[] group = new Code[5];
    for (int i = 0; i < 5; i++) {
      group[i] = readCode(alphabets[i]);
    }
    return group;
  }

  /**
   * Decodes {@code width x height} pixels for their bits, returning the largest meta group index
   * ((red << 8) | green) among literal pixels.
   */
  private long decodePixels(int width, int height, Code[] group) throws MalformedException {
    long pixels = (long) width * height;
    int cacheSize = group[0].alphabet - 280;
    long max = 0;
    for (long p = 0; p < pixels; ) {
      int green = group[0].read(this);
      if (green < 256) {
        int red = group[1].read(this);
        group[2].read(this);
        group[3].read(this);
        max = Math.max(max, (long) red << 8 | green);
        p++;
      } else if (green < 280) {
        long length = prefixValue(green - 256);
        prefixValue(group[4].read(this));
        p += length;
      } else if (green - 280 < cacheSize) {
        p++;
      } else {
        throw new MalformedException("has an invalid symbol");
      }
    }
    return max;
  }

  private long prefixValue(int symbol) throws MalformedException {
    if (symbol < 4) {
      return symbol + 1;
    }
    int extra = (symbol - 2) >> 1;
    long offset = (long) (2 + (symbol & 1)) << extra;
    return offset + bits(extra) + 1;
  }

  /** A canonical prefix code as the decoder reads it, bit by bit from the least significant. */
  private static final class Code {
    final int alphabet;
    final int single;
    final int singleBits;
    final int[] count = new int[16];
    final int[] symbols;

    Code(int alphabet, int single, int[] lengths) {
      this(alphabet, single, 0, lengths);
    }

    /**
     * @param single the only symbol (read with {@code singleBits} bits: 0, or 1 for the two-symbol
     *     simple code whose symbols are equal), or -1 for a code with {@code lengths}
     */
    Code(int alphabet, int single, int singleBits, int[] lengths) {
      this.alphabet = alphabet;
      this.single = single;
      this.singleBits = singleBits;
      int n = 0;
      if (lengths != null) {
        for (int length : lengths) {
          if (length > 0) {
            count[length]++;
            n++;
          }
        }
      }
      symbols = new int[n];
      if (lengths != null) {
        // Symbols in canonical order: by length, then by value.
        int at = 0;
        int[] start = new int[16];
        for (int len = 1; len < 16; len++) {
          start[len] = at;
          at += count[len];
        }
        for (int s = 0; s < lengths.length; s++) {
          if (lengths[s] > 0) {
            symbols[start[lengths[s]]++] = s;
          }
        }
      }
    }

    int read(Vp8lScanner in) throws MalformedException {
      if (single >= 0) {
        in.bits(singleBits);
        return single;
      }
      int code = 0;
      int first = 0;
      int index = 0;
      for (int len = 1; len < 16; len++) {
        code |= in.bits(1);
        int n = count[len];
        if (code - first < n) {
          return symbols[index + code - first];
        }
        index += n;
        first += n;
        first <<= 1;
        code <<= 1;
      }
      throw new MalformedException("has an incomplete prefix code");
    }
  }

  /** Reads one prefix code (simple or normal) and counts what the decoder's table will take. */
  private Code readCode(int alphabet) throws MalformedException {
    bytes += TABLE_BYTES;
    if (bits(1) == 1) {
      int symbols = bits(1) + 1;
      int first = bits(bits(1) == 1 ? 8 : 1);
      if (symbols == 1) {
        return new Code(alphabet, first, null);
      }
      int second = bits(8);
      if (first >= alphabet || second >= alphabet) {
        throw new MalformedException("has a symbol outside its alphabet");
      }
      int[] lengths = new int[Math.max(first, second) + 1];
      lengths[first] = 1;
      lengths[second] = 1;
      if (first == second) {
        return new Code(alphabet, first, 1, null);
      }
      return new Code(alphabet, -1, lengths);
    }
    int[] codeLengthLengths = new int[19];
    int n = bits(4) + 4;
    for (int i = 0; i < n; i++) {
      codeLengthLengths[CODE_LENGTH_ORDER[i]] = bits(3);
    }
    Code lengthCode = complete(19, codeLengthLengths);
    int coded = alphabet;
    if (bits(1) == 1) {
      coded = 2 + bits(2 + 2 * bits(3));
    }
    int[] lengths = new int[alphabet];
    int previous = 8;
    for (int i = 0; i < alphabet && coded > 0; i++, coded--) {
      int length = lengthCode.read(this);
      if (length < 16) {
        lengths[i] = length;
        if (length != 0) {
          previous = length;
        }
        continue;
      }
      int repeat;
      int value = 0;
      if (length == 16) {
        repeat = 3 + bits(2);
        value = previous;
      } else if (length == 17) {
        repeat = 3 + bits(3);
      } else {
        repeat = 11 + bits(7);
      }
      if (i + repeat > alphabet) {
        throw new MalformedException("repeats a code length past its alphabet");
      }
      java.util.Arrays.fill(lengths, i, i + repeat, value);
      i += repeat - 1;
    }
    // The decoder also builds the code length code's table and keeps the lengths as shorts.
    bytes += TABLE_BYTES + 2L * alphabet + 4L * alphabet + 256;
    Code code = complete(alphabet, lengths);
    bytes += level2Bytes(code.count);
    return code;
  }

  /** A code that is a valid prefix code (complete, or a single symbol), as libwebp requires. */
  private static Code complete(int alphabet, int[] lengths) throws MalformedException {
    int used = 0;
    int single = -1;
    long kraft = 0;
    for (int s = 0; s < lengths.length; s++) {
      if (lengths[s] > 0) {
        used++;
        single = s;
        kraft += 1L << (15 - lengths[s]);
      }
    }
    if (used == 0) {
      throw new MalformedException("has an empty prefix code");
    }
    if (used == 1) {
      return new Code(alphabet, single, null);
    }
    if (kraft != 1L << 15) {
      throw new MalformedException("has a prefix code that is not complete");
    }
    return new Code(alphabet, -1, lengths);
  }

  /**
   * Bytes of the second-level tables the decoder builds for codes longer than 8 bits, computed by
   * walking the canonical codes as it does: a new table of 2^k entries whenever a code's first 8
   * bits change, k chosen as zlib and libwebp choose it.
   */
  private static long level2Bytes(int[] lengthCounts) {
    int[] count = lengthCounts.clone();
    int code = 0;
    for (int len = 1; len <= LEVEL1_BITS; len++) {
      for (; count[len] > 0; count[len]--) {
        code = nextCode(code, len);
      }
    }
    int rootMask = (1 << LEVEL1_BITS) - 1;
    int rootEntry = -1;
    long total = 0;
    for (int len = LEVEL1_BITS + 1; len <= 15; len++) {
      for (; count[len] > 0; count[len]--) {
        if ((code & rootMask) != rootEntry) {
          total += 16 + 4L * (1 << nextTableBits(count, len)) + 32;
          rootEntry = code & rootMask;
        }
        code = nextCode(code, len);
      }
    }
    return total;
  }

  /** The next canonical code of {@code length} bits, kept bit-reversed as the decoder keeps it. */
  private static int nextCode(int code, int length) {
    int step = Integer.highestOneBit(~code & ((1 << length) - 1));
    return (code & (step - 1)) | step;
  }

  private static int nextTableBits(int[] count, int length) {
    int len = length;
    int left = 1 << (len - LEVEL1_BITS);
    while (len < 15) {
      left -= count[len];
      if (left <= 0) {
        break;
      }
      len++;
      left <<= 1;
    }
    return len - LEVEL1_BITS;
  }

  private static int subSample(int size, int bits) {
    return (size + (1 << bits) - 1) >> bits;
  }
}
