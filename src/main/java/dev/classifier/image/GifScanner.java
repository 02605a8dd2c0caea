package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.corrupt;

/**
 * Walks a GIF up to the end of its first frame: logical screen and frame dimensions (pixel limit),
 * colour tables, every extension block's sub-blocks within the slice. The JDK reader is then given
 * only the header, the colour tables, the graphic control extension of the first frame
 * (transparency) and the first frame's data, followed by a trailer: comments, plain text and
 * application extensions (XMP, loop counts) and all later frames never reach it.
 */
final class GifScanner {

  private static final ImageFormat GIF = ImageFormat.GIF;
  private static final byte[] TRAILER = {0x3B};

  private GifScanner() {}

  static Scan scan(EncodedImage image, ImageLimits limits) {
    byte[] b = image.bytes();
    int start = image.offset();
    int end = image.end();
    if (end - start < 13) {
      throw corrupt(GIF, "is truncated: it has no complete logical screen descriptor");
    }
    int screenWidth = Bytes.u16le(b, start + 6);
    int screenHeight = Bytes.u16le(b, start + 8);
    if ((long) screenWidth * screenHeight > limits.maxPixels()) {
      throw ImageRejectedException.tooManyPixels(screenWidth, screenHeight, limits.maxPixels());
    }
    int at = start + 13 + colourTable(b[start + 10]);
    if (at > end) {
      throw corrupt(GIF, "is truncated inside its global colour table");
    }
    SliceInputStream.Builder kept = new SliceInputStream.Builder().keep(b, start, at);
    int controlFrom = -1;
    int controlTo = -1;
    ChunkCount blocks = new ChunkCount(GIF, limits, "blocks before its first frame");
    while (true) {
      if (at >= end) {
        throw corrupt(GIF, "is truncated before its first frame");
      }
      blocks.next();
      int introducer = b[at] & 0xFF;
      if (introducer == 0x3B) {
        throw corrupt(GIF, "has no frames");
      }
      if (introducer == 0x21) {
        if (end - at < 2) {
          throw corrupt(GIF, "is truncated inside an extension");
        }
        int label = b[at + 1] & 0xFF;
        int next = skipSubBlocks(b, at + 2, end);
        // The last graphic control extension before a frame applies to it.
        if (label == 0xF9) {
          controlFrom = at;
          controlTo = next;
        }
        at = next;
        continue;
      }
      if (introducer != 0x2C) {
        throw corrupt(GIF, String.format("has an unknown block 0x%02X", introducer));
      }
      if (end - at < 10) {
        throw corrupt(GIF, "is truncated inside its first image descriptor");
      }
      int width = Bytes.u16le(b, at + 5);
      int height = Bytes.u16le(b, at + 7);
      if (width == 0 || height == 0) {
        throw corrupt(GIF, "has a first frame without pixels (" + width + "x" + height + ")");
      }
      if ((long) width * height > limits.maxPixels()) {
        throw ImageRejectedException.tooManyPixels(width, height, limits.maxPixels());
      }
      int data = at + 10 + colourTable(b[at + 9]);
      if (data >= end) {
        throw corrupt(GIF, "is truncated inside its first frame");
      }
      int codeSize = b[data] & 0xFF;
      if (codeSize < 1 || codeSize > 11) {
        throw corrupt(GIF, "has an LZW minimum code size of " + codeSize);
      }
      int frameEnd = skipSubBlocks(b, data + 1, end);
      if (controlFrom >= 0) {
        kept.keep(b, controlFrom, controlTo);
      }
      kept.keep(b, at, frameEnd).insert(TRAILER);
      // The JDK reader: an indexed destination (at most a byte per pixel), a full-width row and
      // the LZW tables; SrgbRows reads indexed images row by row without a converted copy.
      Scan.Footprint footprint = new Scan.Footprint(128 * 1024, 4L * width, 1);
      return new Scan(GIF, width, height, 1, kept.build(), footprint, null, null);
    }
  }

  /** Bytes of the colour table a packed field announces (0 without one). */
  private static int colourTable(byte packed) {
    return (packed & 0x80) == 0 ? 0 : 3 << ((packed & 0x07) + 1);
  }

  /**
   * Index after the sub-block chain starting at {@code at} (length byte, data, ..., zero byte).
   * Each step advances by at least one byte, so the walk is bounded by the slice.
   */
  private static int skipSubBlocks(byte[] b, int at, int end) {
    int i = at;
    while (true) {
      if (i >= end) {
        throw corrupt(GIF, "is truncated inside a data block");
      }
      int size = b[i] & 0xFF;
      if (size == 0) {
        return i + 1;
      }
      i += 1 + size;
    }
  }
}
