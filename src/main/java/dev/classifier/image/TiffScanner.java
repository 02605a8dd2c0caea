package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.corrupt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a TIFF's first directory with {@link TiffDirectory} and checks what the TwelveMonkeys
 * reader would allocate or loop by before it runs: size, samples, bits per sample, compression,
 * strip or tile geometry (a 300x300 image may not declare a 65536x65536 tile), and that every strip
 * or tile lies inside the slice. The reader is then given the file with a rewritten first directory
 * appended: only the tags the pixels need, strip and tile tables cut to the count the geometry
 * implies, no link to further directories. EXIF, GPS, XMP, IPTC and Photoshop blocks,
 * sub-directories and later pages are thereby never read, and directory loops cannot happen.
 */
final class TiffScanner {

  private static final ImageFormat TIFF = ImageFormat.TIFF;

  private static final int WIDTH = 256;
  private static final int HEIGHT = 257;
  private static final int BITS_PER_SAMPLE = 258;
  private static final int COMPRESSION = 259;
  private static final int PHOTOMETRIC = 262;
  private static final int STRIP_OFFSETS = 273;
  private static final int SAMPLES_PER_PIXEL = 277;
  private static final int ROWS_PER_STRIP = 278;
  private static final int STRIP_BYTE_COUNTS = 279;
  private static final int PLANAR = 284;
  private static final int PREDICTOR = 317;
  private static final int COLOR_MAP = 320;
  private static final int TILE_WIDTH = 322;
  private static final int TILE_LENGTH = 323;
  private static final int TILE_OFFSETS = 324;
  private static final int TILE_BYTE_COUNTS = 325;
  private static final int EXTRA_SAMPLES = 338;
  private static final int SAMPLE_FORMAT = 339;
  private static final int JPEG_TABLES = 347;
  private static final int YCBCR_SUBSAMPLING = 530;
  private static final int ICC_PROFILE = 34675;

  /** The tags the reader needs for the pixels; everything else is left out of its directory. */
  private static final int[] KEPT = {
    WIDTH,
    HEIGHT,
    BITS_PER_SAMPLE,
    COMPRESSION,
    PHOTOMETRIC,
    266 /* FillOrder */,
    STRIP_OFFSETS,
    SAMPLES_PER_PIXEL,
    ROWS_PER_STRIP,
    STRIP_BYTE_COUNTS,
    PLANAR,
    292 /* T4Options */,
    293 /* T6Options */,
    PREDICTOR,
    COLOR_MAP,
    TILE_WIDTH,
    TILE_LENGTH,
    TILE_OFFSETS,
    TILE_BYTE_COUNTS,
    EXTRA_SAMPLES,
    SAMPLE_FORMAT,
    JPEG_TABLES,
    529 /* YCbCrCoefficients */,
    YCBCR_SUBSAMPLING,
    531 /* YCbCrPositioning */,
    532 /* ReferenceBlackWhite */,
    ICC_PROFILE
  };

  private TiffScanner() {}

  static Scan scan(EncodedImage image, ImageLimits limits) {
    byte[] b = image.bytes();
    int start = image.offset();
    int end = image.end();
    TiffDirectory ifd;
    try {
      ifd = TiffDirectory.read(b, start, end, limits.maxChunks());
    } catch (TiffDirectory.MalformedException e) {
      throw corrupt(TIFF, e.getMessage());
    }
    long width = ifd.single(WIDTH, -1);
    long height = ifd.single(HEIGHT, -1);
    if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw corrupt(TIFF, "has no usable width and height (" + width + "x" + height + ")");
    }
    if (width * height > limits.maxPixels()) {
      throw ImageRejectedException.tooManyPixels(width, height, limits.maxPixels());
    }
    long samples = ifd.single(SAMPLES_PER_PIXEL, 1);
    if (samples < 1 || samples > 5) {
      throw corrupt(TIFF, "has " + samples + " samples per pixel (1..5 are decoded)");
    }
    int bits = bitsPerSample(ifd, samples);
    long compression = ifd.single(COMPRESSION, 1);
    if (compression != 1
        && compression != 2
        && compression != 3
        && compression != 4
        && compression != 5
        && compression != 7
        && compression != 8
        && compression != 32773
        && compression != 32946) {
      throw corrupt(
          TIFF, "uses compression " + compression + ", which this service does not decode");
    }
    long photometric = ifd.single(PHOTOMETRIC, 1);
    if (photometric != 0
        && photometric != 1
        && photometric != 2
        && photometric != 3
        && photometric != 5
        && photometric != 6
        && photometric != 8) {
      throw corrupt(TIFF, "has photometric interpretation " + photometric + ", not decoded here");
    }
    if (photometric == 3 && (samples != 1 || bits > 8)) {
      throw corrupt(TIFF, "is a palette image with " + samples + "x" + bits + "-bit samples");
    }
    long format = ifd.single(SAMPLE_FORMAT, 1);
    long predictor = ifd.single(PREDICTOR, 1);
    long planar = ifd.single(PLANAR, 1);
    if ((format != 1 && format != 2)
        || (predictor != 1 && predictor != 2)
        || planar < 1
        || planar > 2) {
      throw corrupt(TIFF, "has an unsupported sample format, predictor or planar configuration");
    }
    long planes = planar == 2 ? samples : 1;

    boolean tiled = ifd.entry(TILE_OFFSETS) != null;
    long pieceWidth;
    long pieceHeight;
    long pieces;
    int offsetsTag;
    int countsTag;
    if (tiled) {
      pieceWidth = ifd.single(TILE_WIDTH, -1);
      pieceHeight = ifd.single(TILE_LENGTH, -1);
      // Tiles are multiples of 16 wide and high, so a tile may exceed the image by up to 15.
      if (pieceWidth <= 0
          || pieceHeight <= 0
          || pieceWidth > roundUp16(width)
          || pieceHeight > roundUp16(height)) {
        throw corrupt(
            TIFF,
            "has tiles of "
                + pieceWidth
                + "x"
                + pieceHeight
                + " for a "
                + width
                + "x"
                + height
                + " image");
      }
      pieces = ceilDiv(width, pieceWidth) * ceilDiv(height, pieceHeight) * planes;
      offsetsTag = TILE_OFFSETS;
      countsTag = TILE_BYTE_COUNTS;
    } else {
      long rows = ifd.single(ROWS_PER_STRIP, Integer.MAX_VALUE);
      if (rows <= 0) {
        throw corrupt(TIFF, "has " + rows + " rows per strip");
      }
      pieceWidth = width;
      pieceHeight = Math.min(rows, height);
      pieces = ceilDiv(height, pieceHeight) * planes;
      offsetsTag = STRIP_OFFSETS;
      countsTag = STRIP_BYTE_COUNTS;
    }
    TiffDirectory.Entry offsets = ifd.entry(offsetsTag);
    TiffDirectory.Entry counts = ifd.entry(countsTag);
    if (offsets == null || !offsets.usable() || offsets.count() < pieces) {
      throw corrupt(TIFF, "declares fewer strip or tile offsets than its " + pieces + " pieces");
    }
    if (counts != null && (!counts.usable() || counts.count() < pieces)) {
      throw corrupt(
          TIFF, "declares fewer strip or tile byte counts than its " + pieces + " pieces");
    }
    for (long i = 0; i < pieces; i++) {
      long offset = ifd.value(offsets, i);
      long count = counts == null ? 0 : ifd.value(counts, i);
      if (offset < 0 || count < 0 || offset > end - start || count > end - start - offset) {
        throw corrupt(TIFF, "has strip or tile " + i + " outside the file");
      }
      if (compression == 7 && count > 0) {
        EmbeddedJpeg.check(b, start + (int) offset, start + (int) (offset + count), limits);
      }
    }
    TiffDirectory.Entry tables = ifd.entry(JPEG_TABLES);
    if (compression == 7 && tables != null && tables.usable()) {
      EmbeddedJpeg.check(b, tables.valueAt(), tables.valueAt() + (int) tables.count(), limits);
    }
    TiffDirectory.Entry icc = ifd.entry(ICC_PROFILE);
    boolean keepIcc =
        icc != null
            && icc.usable()
            && icc.count() <= limits.maxIccProfileBytes()
            && IccHeader.plausible(
                b, icc.valueAt(), icc.valueAt() + (int) icc.count(), icc.count());

    List<TiffDirectory.Entry> keptEntries = new ArrayList<>();
    for (TiffDirectory.Entry e : ifd.entries()) {
      if (isKept(e.tag()) && e.usable() && (e.tag() != ICC_PROFILE || keepIcc)) {
        keptEntries.add(e);
      }
    }
    keptEntries.sort(Comparator.comparingInt(TiffDirectory.Entry::tag));
    SliceInputStream.Builder kept =
        rewritten(ifd, b, start, end, keptEntries, offsetsTag, countsTag, pieces);

    int bytesPerSample = bits == 16 ? 2 : 1;
    long samplesInPiece = planar == 2 ? 1 : samples;
    long rowRaster = pieceWidth * samples * bytesPerSample;
    long stored = 4 * rowRaster + 64L * pieces;
    if (compression == 7) {
      // Each JPEG tile or strip is decoded whole by a JPEG reader, then copied.
      stored += 3 * pieceWidth * pieceHeight * samplesInPiece * 4;
    }
    boolean converted = keepIcc || photometric == 5 || photometric == 6 || photometric == 8;
    int perPixel = (int) (samples * bytesPerSample) + (converted ? 4 : 0);
    long fixed =
        512 * 1024 + (keepIcc ? 4 * icc.count() : 0) + (tables != null ? 2 * tables.count() : 0);
    return new Scan(
        TIFF,
        (int) width,
        (int) height,
        Orientation.fromDirectory(ifd),
        kept.build(),
        new Scan.Footprint(fixed, stored, perPixel),
        null,
        null);
  }

  private static int bitsPerSample(TiffDirectory ifd, long samples) {
    TiffDirectory.Entry e = ifd.entry(BITS_PER_SAMPLE);
    if (e == null) {
      return 1;
    }
    if (!e.usable() || (e.count() != samples && e.count() != 1)) {
      throw corrupt(TIFF, "has a malformed BitsPerSample");
    }
    long bits = ifd.value(e, 0);
    for (long i = 1; i < e.count(); i++) {
      if (ifd.value(e, i) != bits) {
        throw corrupt(TIFF, "has differing bits per sample");
      }
    }
    if (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 16) {
      throw corrupt(TIFF, "has " + bits + " bits per sample (1, 2, 4, 8 and 16 are decoded)");
    }
    return (int) bits;
  }

  private static boolean isKept(int tag) {
    for (int t : KEPT) {
      if (t == tag) {
        return true;
      }
    }
    return false;
  }

  /**
   * The original bytes with the header's first-directory offset pointing at a new directory
   * appended after them. Values stay where they are (offsets are absolute and the original bytes
   * keep their positions); strip and tile tables get the count the geometry implies.
   */
  private static SliceInputStream.Builder rewritten(
      TiffDirectory ifd,
      byte[] b,
      int start,
      int end,
      List<TiffDirectory.Entry> entries,
      int offsetsTag,
      int countsTag,
      long pieces) {
    boolean little = ifd.littleEndian();
    boolean big = ifd.bigTiff();
    int length = end - start;
    int pad = length & 1;
    long ifdAt = length + pad;
    int entrySize = big ? 20 : 12;
    int countSize = big ? 8 : 2;
    int inline = big ? 8 : 4;
    byte[] directory = new byte[countSize + entries.size() * entrySize + (big ? 8 : 4)];
    if (big) {
      Bytes.put64(directory, 0, entries.size(), little);
    } else {
      Bytes.put16(directory, 0, entries.size(), little);
    }
    int at = countSize;
    for (TiffDirectory.Entry e : entries) {
      System.arraycopy(b, e.entryAt(), directory, at, entrySize);
      if ((e.tag() == offsetsTag || e.tag() == countsTag) && e.count() > pieces) {
        if (big) {
          Bytes.put64(directory, at + 4, pieces, little);
        } else {
          Bytes.put32(directory, at + 4, pieces, little);
        }
        long size = pieces * TiffDirectory.typeSize(e.type());
        if (size <= inline) {
          // The shortened table now fits in the entry itself: move its first values in.
          int value = at + (big ? 12 : 8);
          java.util.Arrays.fill(directory, value, value + inline, (byte) 0);
          System.arraycopy(b, e.valueAt(), directory, value, (int) size);
        }
      }
      at += entrySize;
    }
    byte[] header = new byte[big ? 16 : 8];
    System.arraycopy(b, start, header, 0, big ? 8 : 4);
    if (big) {
      Bytes.put64(header, 8, ifdAt, little);
    } else {
      Bytes.put32(header, 4, ifdAt, little);
    }
    SliceInputStream.Builder kept = new SliceInputStream.Builder();
    kept.insert(header).keep(b, start + header.length, end);
    if (pad == 1) {
      kept.insert(new byte[1]);
    }
    return kept.insert(directory);
  }

  private static long roundUp16(long n) {
    return (n + 15) / 16 * 16;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
