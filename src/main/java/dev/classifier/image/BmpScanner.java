package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.corrupt;

/**
 * Checks a BMP's headers against the slice before the JDK reader allocates by them: the pixel data
 * offset (the reader reads everything between the header and it as a palette), the bit field masks'
 * colour count, the size of RLE data (read into one array), the pixel data of uncompressed images,
 * and a V5 header's embedded profile (offset and size). A profile that is over the limit, outside
 * the file or linked (a file name the reader would open) is switched off by rewriting the colour
 * space field to sRGB in the stream the reader sees. BMPs that embed a JPEG or PNG are refused: the
 * reader would hand those bytes to another decoder unchecked.
 */
final class BmpScanner {

  private static final ImageFormat BMP = ImageFormat.BMP;
  private static final long LCS_SRGB = 0x73524742L;
  private static final long PROFILE_LINKED = 0x4C494E4BL;
  private static final long PROFILE_EMBEDDED = 0x4D424544L;

  private BmpScanner() {}

  static Scan scan(EncodedImage image, ImageLimits limits) {
    byte[] b = image.bytes();
    int start = image.offset();
    int length = image.length();
    if (length < 26) {
      throw corrupt(BMP, "is truncated inside its headers");
    }
    long fileSize = Bytes.u32le(b, start + 2);
    long pixelOffset = Bytes.u32le(b, start + 10);
    long headerSize = Bytes.u32le(b, start + 14);
    if (headerSize != 12
        && headerSize != 40
        && headerSize != 52
        && headerSize != 56
        && headerSize != 108
        && headerSize != 124) {
      throw corrupt(BMP, "has an unsupported header of " + headerSize + " bytes");
    }
    if (14 + headerSize > length) {
      throw corrupt(BMP, "is truncated inside its headers");
    }
    int h = start + 14;
    long width;
    long height;
    int bitsPerPixel;
    long compression = 0;
    long imageSize = 0;
    long coloursUsed = 0;
    if (headerSize == 12) {
      width = (short) Bytes.u16le(b, h + 4);
      height = (short) Bytes.u16le(b, h + 6);
      bitsPerPixel = Bytes.u16le(b, h + 10);
    } else {
      width = (int) Bytes.u32le(b, h + 4);
      height = (int) Bytes.u32le(b, h + 8);
      bitsPerPixel = Bytes.u16le(b, h + 14);
      compression = Bytes.u32le(b, h + 16);
      imageSize = Bytes.u32le(b, h + 20);
      coloursUsed = Bytes.u32le(b, h + 32);
    }
    height = Math.abs(height);
    if (width <= 0 || height == 0) {
      throw corrupt(BMP, "has no pixels (" + width + "x" + height + ")");
    }
    if (width * height > limits.maxPixels()) {
      throw ImageRejectedException.tooManyPixels(width, height, limits.maxPixels());
    }
    if (compression == 4 || compression == 5) {
      throw corrupt(BMP, "embeds a JPEG or PNG, which this service does not decode");
    }
    boolean valid =
        switch ((int) compression) {
          case 0 ->
              bitsPerPixel == 1
                  || bitsPerPixel == 4
                  || bitsPerPixel == 8
                  || bitsPerPixel == 16
                  || bitsPerPixel == 24
                  || bitsPerPixel == 32;
          case 1 -> bitsPerPixel == 8;
          case 2 -> bitsPerPixel == 4;
          case 3 -> bitsPerPixel == 16 || bitsPerPixel == 32;
          default -> false;
        };
    if (!valid || (headerSize == 12 && compression != 0)) {
      throw corrupt(
          BMP,
          "has an invalid combination of " + bitsPerPixel + " bits and compression " + compression);
    }
    // Bit field masks follow a 40-byte header; V2 and later headers hold them inside.
    long masks = headerSize == 40 && compression == 3 ? 12 : 0;
    long tablesEnd = 14 + headerSize + masks;
    if (pixelOffset < tablesEnd) {
      throw corrupt(BMP, "has its pixel data at " + pixelOffset + ", inside its headers");
    }
    if (pixelOffset > length) {
      throw corrupt(BMP, "has its pixel data at " + pixelOffset + ", outside the file");
    }
    long palette = pixelOffset - 14 - headerSize;
    if (headerSize == 40 && compression == 3) {
      palette = 4 * coloursUsed;
      if (coloursUsed > (length - tablesEnd) / 4) {
        throw corrupt(BMP, "declares " + coloursUsed + " colours, more than the file holds");
      }
    }
    long available = length - pixelOffset;
    long rowBytes = ((width * bitsPerPixel + 31) / 32) * 4;
    long compressed = 0;
    if (compression == 1 || compression == 2) {
      compressed = imageSize != 0 ? imageSize : fileSize - pixelOffset;
      if (compressed <= 0 || compressed > available) {
        throw corrupt(
            BMP, "declares " + compressed + " bytes of RLE data, but " + available + " follow");
      }
    } else if (rowBytes * height > available) {
      throw corrupt(
          BMP,
          "is truncated: " + rowBytes * height + " bytes of pixels, " + available + " present");
    }
    SliceInputStream.Builder kept = new SliceInputStream.Builder();
    long profileBytes = 0;
    int colourSpaceField = h + 56;
    if (headerSize >= 108) {
      long colourSpace = Bytes.u32le(b, colourSpaceField);
      boolean profile = colourSpace == PROFILE_LINKED || colourSpace == PROFILE_EMBEDDED;
      if (profile && headerSize == 124 && colourSpace == PROFILE_EMBEDDED) {
        long profileAt = Bytes.u32le(b, h + 112);
        long profileSize = Bytes.u32le(b, h + 116);
        boolean inside =
            profileAt >= headerSize && profileSize <= length - 14 - profileAt && profileSize > 0;
        if (inside
            && profileSize <= limits.maxIccProfileBytes()
            && IccHeader.plausible(
                b,
                (int) (start + 14 + profileAt),
                (int) (start + 14 + profileAt + profileSize),
                profileSize)) {
          profileBytes = profileSize;
          profile = false;
        }
      }
      if (profile) {
        // Linked, misplaced or oversized: the reader sees an sRGB image instead.
        byte[] srgb = new byte[4];
        Bytes.put32(srgb, 0, LCS_SRGB, true);
        kept.keep(b, start, colourSpaceField).insert(srgb);
        kept.keep(b, colourSpaceField + 4, image.end());
      }
    }
    if (kept.length() == 0) {
      kept.keep(b, start, image.end());
    }
    // The JDK reader: the destination (a byte per pixel up to 8 bits, then 2, 3 or 4), a full row,
    // the palette region and RLE data as arrays, a profile as bytes, ICC_Profile and transform,
    // and then a converted copy (4 bytes per pixel) in SrgbRows.
    int perPixel = bitsPerPixel <= 8 ? 1 : bitsPerPixel == 16 ? 2 : bitsPerPixel == 24 ? 3 : 4;
    if (profileBytes > 0) {
      perPixel += 4;
    }
    long stored = 2 * rowBytes + 2 * width + 2 * compressed;
    long fixed = 128 * 1024 + 2 * palette + 4 * profileBytes;
    return new Scan(
        BMP,
        (int) width,
        (int) height,
        1,
        kept.build(),
        new Scan.Footprint(fixed, stored, perPixel),
        null,
        null);
  }
}
