package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.corrupt;

/**
 * Walks a WebP's RIFF chunks before TwelveMonkeys reads it: the RIFF length against the slice (the
 * lossless decoder reads a cut-off bitstream as zeros, so truncation is only visible here), every
 * chunk inside the RIFF, the VP8, VP8L and VP8X dimensions (pixel limit; a bitstream whose size
 * disagrees with the canvas is refused). The reader is given only VP8X, ANIM, the first frame and
 * an ICCP profile within the size limit; EXIF (whose orientation is read here, bounded), XMP,
 * unknown chunks and later frames are left out and the VP8X flags and RIFF length rewritten.
 */
final class WebpScanner {

  private static final ImageFormat WEBP = ImageFormat.WEBP;

  /**
   * Zero bytes after the data: TwelveMonkeys' bit reader looks up to 9 bytes ahead of the bits it
   * uses; reading beyond them is an error (see {@link SliceInputStream.Builder#build(boolean)}).
   */
  private static final int PADDING = 16;

  private WebpScanner() {}

  static Scan scan(EncodedImage image, ImageLimits limits) {
    byte[] b = image.bytes();
    int start = image.offset();
    long declared = Bytes.u32le(b, start + 4);
    if (declared + 8 > image.length()) {
      throw corrupt(
          WEBP, "is truncated: RIFF declares " + (declared + 8) + " bytes, got " + image.length());
    }
    int end = start + 8 + (int) declared;
    SliceInputStream.Builder kept = new SliceInputStream.Builder();
    byte[] riffHeader = new byte[12];
    System.arraycopy(b, start, riffHeader, 0, 12);
    kept.insert(riffHeader);
    int at = start + 12;
    ChunkCount chunks = new ChunkCount(WEBP, limits, "chunks");
    int width = 0;
    int height = 0;
    int canvasWidth = 0;
    int canvasHeight = 0;
    boolean extended = false;
    boolean animated = false;
    boolean framesSeen = false;
    boolean bitstream = false;
    boolean lossless = false;
    boolean compressedAlpha = false;
    long codeBytes = 0;
    long iccBytes = 0;
    int orientation = 1;
    int flagsAt = -1;
    boolean iccKept = false;
    boolean inFrame = false;
    while (at + 8 <= end) {
      int chunk = chunks.next();
      long size = Bytes.u32le(b, at + 4);
      int data = at + 8;
      if (size > end - data) {
        throw corrupt(WEBP, "has a chunk of " + size + " bytes that runs past the RIFF end");
      }
      int next = (int) Math.min(end, data + size + (size & 1));
      String fourcc = new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      boolean keep = false;
      if (chunk == 1) {
        switch (fourcc) {
          case "VP8X" -> {
            if (size < 10) {
              throw corrupt(WEBP, "has a VP8X chunk of " + size + " bytes");
            }
            extended = true;
            animated = (b[data] & 0x02) != 0;
            canvasWidth = Bytes.u24le(b, data + 4) + 1;
            canvasHeight = Bytes.u24le(b, data + 7) + 1;
            checkPixels(canvasWidth, canvasHeight, limits);
            flagsAt = data;
            keep = true;
          }
          case "VP8 ", "VP8L" -> {}
          default -> throw corrupt(WEBP, "does not start with a VP8, VP8L or VP8X chunk");
        }
      }
      switch (fourcc) {
        case "VP8 ", "VP8L" -> {
          if (!bitstream && (!animated || framesSeen)) {
            int[] size2 = bitstreamSize(fourcc, b, data, (int) size);
            width = size2[0];
            height = size2[1];
            checkPixels(width, height, limits);
            bitstream = true;
            lossless = fourcc.equals("VP8L");
            if (lossless) {
              codeBytes += losslessCodes(b, data, data + (int) size, width, height, true);
            }
            keep = true;
          }
        }
        case "ALPH" -> {
          if (!bitstream && size >= 1) {
            // Compressed alpha is a lossless bitstream of its own, decoded to a full-size raster.
            compressedAlpha = (b[data] & 0x03) == 1;
            if (compressedAlpha) {
              codeBytes +=
                  losslessCodes(b, data + 1, data + (int) size, canvasWidth, canvasHeight, false);
            }
            keep = true;
          }
        }
        case "ICCP" -> {
          if (size <= limits.maxIccProfileBytes()
              && !iccKept
              && IccHeader.plausible(b, data, data + (int) size, size)) {
            iccKept = true;
            iccBytes = size;
            keep = true;
          }
        }
        case "ANIM" -> keep = animated;
        case "ANMF" -> {
          if (animated && !framesSeen && size >= 16) {
            framesSeen = true;
            int frameWidth = Bytes.u24le(b, data + 6) + 1;
            int frameHeight = Bytes.u24le(b, data + 9) + 1;
            checkPixels(frameWidth, frameHeight, limits);
            // The whole first frame is kept; its own chunks (ALPH, VP8, VP8L) follow a 16-byte
            // header and are walked for their sizes. Nothing after it is read.
            kept.keep(b, at, next);
            inFrame = true;
            at = data + 16;
            end = next;
            canvasWidth = frameWidth;
            canvasHeight = frameHeight;
            continue;
          }
        }
        case "EXIF" -> {
          if (orientation == 1) {
            int skip = size >= 6 && Bytes.startsWith(b, data, data + 6, "Exif\0") ? 6 : 0;
            orientation =
                Orientation.fromExif(b, data + skip, data + (int) size, limits.maxChunks());
          }
        }
        default -> {}
      }
      if (keep && !inFrame) {
        kept.keep(b, at, next);
      }
      at = next;
    }
    if (!bitstream) {
      throw corrupt(WEBP, "has no image data");
    }
    if (extended && (width != canvasWidth || height != canvasHeight)) {
      throw corrupt(
          WEBP,
          "has a "
              + width
              + "x"
              + height
              + " bitstream on a "
              + canvasWidth
              + "x"
              + canvasHeight
              + " canvas");
    }
    SliceInputStream.Pieces pieces = patched(kept, riffHeader, b, flagsAt, iccKept);
    // TwelveMonkeys: the destination (4 bytes per pixel with alpha, else 3) and, for lossless
    // bitstreams and compressed alpha, a full-size 4-byte raster plus their transform and meta
    // images (at most half a canvas more); the lossy decoder keeps a few macroblock rows. ICC
    // conversion is done in place.
    long pixels = (long) width * height;
    long stored = 64L * 1024 * 16 + 64L * width;
    if (lossless || compressedAlpha) {
      stored += 4 * pixels * (lossless && compressedAlpha ? 2 : 1) + 2 * pixels;
    }
    // The prefix code tables, exactly as Vp8lScanner counted them.
    long fixed = 256 * 1024 + 4 * iccBytes + codeBytes;
    return new Scan(
        WEBP, width, height, orientation, pieces, new Scan.Footprint(fixed, stored, 4), null, null);
  }

  private static long losslessCodes(
      byte[] b, int from, int to, int width, int height, boolean header) {
    try {
      return Vp8lScanner.codeBytes(b, from, to, width, height, header);
    } catch (Vp8lScanner.MalformedException e) {
      throw corrupt(WEBP, "has a lossless bitstream that " + e.getMessage());
    }
  }

  /** Width and height a VP8 or VP8L bitstream declares. */
  private static int[] bitstreamSize(String fourcc, byte[] b, int data, int size) {
    if (fourcc.equals("VP8L")) {
      if (size < 5 || (b[data] & 0xFF) != 0x2F) {
        throw corrupt(WEBP, "has a VP8L bitstream without its signature");
      }
      long bits = Bytes.u32le(b, data + 1);
      int width = (int) (bits & 0x3FFF) + 1;
      int height = (int) ((bits >> 14) & 0x3FFF) + 1;
      if ((bits >> 29) != 0) {
        throw corrupt(WEBP, "has a VP8L bitstream of unknown version " + (bits >> 29));
      }
      return new int[] {width, height};
    }
    if (size < 10
        || (b[data] & 0x01) != 0
        || (b[data + 3] & 0xFF) != 0x9D
        || (b[data + 4] & 0xFF) != 0x01
        || (b[data + 5] & 0xFF) != 0x2A) {
      throw corrupt(WEBP, "has a VP8 bitstream that is not a key frame");
    }
    int width = Bytes.u16le(b, data + 6) & 0x3FFF;
    int height = Bytes.u16le(b, data + 8) & 0x3FFF;
    if (width == 0 || height == 0) {
      throw corrupt(WEBP, "has no pixels (" + width + "x" + height + ")");
    }
    return new int[] {width, height};
  }

  private static void checkPixels(long width, long height, ImageLimits limits) {
    if (width * height > limits.maxPixels()) {
      throw ImageRejectedException.tooManyPixels(width, height, limits.maxPixels());
    }
  }

  /** The kept chunks with the RIFF length and the VP8X flags (no EXIF, XMP; ICC if kept) fixed. */
  private static SliceInputStream.Pieces patched(
      SliceInputStream.Builder kept, byte[] riffHeader, byte[] b, int flagsAt, boolean iccKept) {
    Bytes.put32(riffHeader, 4, kept.length() - 8, true);
    if (flagsAt < 0) {
      return kept.insert(new byte[PADDING]).build(true);
    }
    // Rebuild with the flags byte replaced: VP8X is the first chunk, right after the header.
    byte[] flags = {(byte) (b[flagsAt] & ~0x0C & (iccKept ? 0xFF : ~0x20))};
    SliceInputStream.Pieces all = kept.build();
    SliceInputStream.Builder out = new SliceInputStream.Builder();
    out.insert(riffHeader);
    out.keep(b, flagsAt - 8, flagsAt).insert(flags);
    // Everything after the flags byte, as kept.
    out.keepFrom(all, 12 + 8 + 1);
    return out.insert(new byte[PADDING]).build(true);
  }
}
