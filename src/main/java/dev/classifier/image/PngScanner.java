package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.corrupt;

/**
 * Walks a PNG's chunks before the JDK reader runs: IHDR first and sane (pixel limit from it), every
 * chunk length within the slice, the chunk count bounded. The reader is then given only the chunks
 * the pixels need (IHDR, PLTE, tRNS, IDAT, IEND): text (tEXt, zTXt, iTXt), eXIf, iCCP, APNG frames
 * and every other ancillary chunk never reach it, so it cannot inflate them, whatever the colour
 * type (the JDK reader parses all metadata of palette images even when told to ignore metadata). An
 * RGB image's iCCP profile is inflated here, bounded by its output size.
 */
final class PngScanner {

  private static final ImageFormat PNG = ImageFormat.PNG;

  private PngScanner() {}

  static Scan scan(EncodedImage image, ImageLimits limits) {
    byte[] b = image.bytes();
    int start = image.offset();
    int end = image.end();
    int at = start + 8;
    if (end - at < 25 || Bytes.u32be(b, at) != 13 || !Bytes.startsWith(b, at + 4, end, "IHDR")) {
      throw corrupt(PNG, "does not start with a complete IHDR chunk");
    }
    long width = Bytes.u32be(b, at + 8);
    long height = Bytes.u32be(b, at + 12);
    int bitDepth = b[at + 16] & 0xFF;
    int colourType = b[at + 17] & 0xFF;
    int interlace = b[at + 20] & 0xFF;
    if (width == 0 || height == 0) {
      throw corrupt(PNG, "has no pixels (" + width + "x" + height + ")");
    }
    if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw corrupt(PNG, "declares a size beyond 2^31 - 1");
    }
    int samples = samplesPerPixel(colourType, bitDepth);
    if (samples == 0 || b[at + 18] != 0 || b[at + 19] != 0 || interlace > 1) {
      throw corrupt(PNG, "has an invalid IHDR (bit depth, colour type or methods)");
    }
    if (width * height > limits.maxPixels()) {
      throw ImageRejectedException.tooManyPixels(width, height, limits.maxPixels());
    }
    SliceInputStream.Builder kept = new SliceInputStream.Builder();
    kept.keep(b, start, at + 25);
    at += 25;
    boolean rgb = colourType == 2 || colourType == 6;
    ChunkCount chunks = new ChunkCount(PNG, limits, "chunks");
    chunks.next(); // IHDR
    boolean imageData = false;
    int profileFrom = -1;
    int profileTo = -1;
    while (true) {
      if (end - at < 12) {
        throw corrupt(PNG, "is truncated: it ends before its IEND chunk");
      }
      long length = Bytes.u32be(b, at);
      if (length > end - at - 12) {
        throw corrupt(PNG, "is truncated: a chunk of " + length + " bytes runs past the end");
      }
      chunks.next();
      int next = at + 12 + (int) length;
      String type = type(b, at + 4);
      switch (type) {
        case "IDAT" -> {
          imageData = true;
          kept.keep(b, at, next);
        }
        case "PLTE", "tRNS" -> {
          // The reader allocates by these lengths: at most 256 entries each.
          if (length > (type.equals("PLTE") ? 768 : 256)) {
            throw corrupt(PNG, "has a " + type + " chunk of " + length + " bytes");
          }
          kept.keep(b, at, next);
        }
        case "IEND" -> {
          if (!imageData) {
            throw corrupt(PNG, "has no image data");
          }
          kept.keep(b, at, next);
          byte[] profile =
              profileFrom < 0
                  ? null
                  : PngColorProfile.inflate(b, profileFrom, profileTo, limits.maxIccProfileBytes());
          if (!IccHeader.plausible(profile)) {
            profile = null;
          }
          return new Scan(
              PNG,
              (int) width,
              (int) height,
              1,
              kept.build(),
              footprint(width, samples, bitDepth, colourType, profile),
              profile,
              null);
        }
        case "iCCP" -> {
          // Used for RGB only, as before: the reader leaves grey and palette images untagged.
          if (rgb && profileFrom < 0) {
            int name = at + 8;
            int limit = Math.min(next - 4, name + 80);
            int zero = name;
            while (zero < limit && b[zero] != 0) {
              zero++;
            }
            if (zero < limit && zero + 2 <= next - 4 && b[zero + 1] == 0) {
              profileFrom = zero + 2;
              profileTo = next - 4;
            }
          }
        }
        default -> {
          // Ancillary (text, eXIf, time, APNG...) or unknown: the pixels do not depend on it.
        }
      }
      at = next;
    }
  }

  /** Samples per pixel of a valid colour type and bit depth combination, 0 for invalid ones. */
  private static int samplesPerPixel(int colourType, int bitDepth) {
    return switch (colourType) {
      case 0 ->
          bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16
              ? 1
              : 0;
      case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 ? 1 : 0;
      case 2 -> bitDepth == 8 || bitDepth == 16 ? 3 : 0;
      case 4 -> bitDepth == 8 || bitDepth == 16 ? 2 : 0;
      case 6 -> bitDepth == 8 || bitDepth == 16 ? 4 : 0;
      default -> 0;
    };
  }

  /**
   * The JDK reader's allocations: the destination (one byte per sample, two at 16 bits; one per
   * pixel for palette images), two full-width rows and a row raster, zlib's inflate state; an RGB
   * profile is held as bytes, as an ICC_Profile and as a LittleCMS transform, and SrgbRows converts
   * the tagged image once (4 bytes per pixel).
   */
  private static Scan.Footprint footprint(
      long width, int samples, int bitDepth, int colourType, byte[] profile) {
    long rowBytes = (width * samples * bitDepth + 7) / 8 + 1;
    int perPixel = colourType == 3 ? 1 : samples * (bitDepth == 16 ? 2 : 1);
    if (profile != null) {
      perPixel += 4;
    }
    long rowRaster = width * samples * (bitDepth == 16 ? 2 : 1);
    long fixed = 256 * 1024 + (profile == null ? 0 : 4L * profile.length);
    return new Scan.Footprint(fixed, 3 * rowBytes + 2 * rowRaster, perPixel);
  }

  private static String type(byte[] b, int at) {
    char[] c = new char[4];
    for (int i = 0; i < 4; i++) {
      c[i] = (char) (b[at + i] & 0xFF);
    }
    return new String(c);
  }
}
