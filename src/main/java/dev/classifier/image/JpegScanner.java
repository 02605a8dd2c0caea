package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.corrupt;
import static dev.classifier.image.JpegMarkers.APP0;
import static dev.classifier.image.JpegMarkers.APP1;
import static dev.classifier.image.JpegMarkers.APP14;
import static dev.classifier.image.JpegMarkers.APP2;
import static dev.classifier.image.JpegMarkers.COM;
import static dev.classifier.image.JpegMarkers.DAC;
import static dev.classifier.image.JpegMarkers.DHT;
import static dev.classifier.image.JpegMarkers.DNL;
import static dev.classifier.image.JpegMarkers.DQT;
import static dev.classifier.image.JpegMarkers.DRI;
import static dev.classifier.image.JpegMarkers.EOI;
import static dev.classifier.image.JpegMarkers.SOF0;
import static dev.classifier.image.JpegMarkers.SOF1;
import static dev.classifier.image.JpegMarkers.SOF2;
import static dev.classifier.image.JpegMarkers.SOI;
import static dev.classifier.image.JpegMarkers.SOS;

import com.twelvemonkeys.imageio.color.ColorProfiles;
import java.awt.color.ICC_Profile;

/**
 * Walks a JPEG's marker segments before any decoder runs: SOF dimensions, components and sampling
 * factors (pixel limit, memory estimate), every scan header of a multi-scan JPEG (scan limit and
 * the progression rules libjpeg enforces), the EXIF orientation (APP1, read with a bounded IFD0
 * parser), the ICC profile (APP2 chunks, kept only when their total is within the limit). ImageIO
 * is then given the file without APP1 (EXIF, XMP), COM, thumbnails and other APPn segments, and
 * without the ICC chunks when they are over the limit. Every segment length is checked against the
 * slice before it is used.
 */
final class JpegScanner {

  private static final ImageFormat JPEG = ImageFormat.JPEG;

  private final byte[] b;
  private final int start;
  private final int end;
  private final ImageLimits limits;
  private final SliceInputStream.Builder kept = new SliceInputStream.Builder();

  /**
   * Ranges of the header not given to ImageIO, in file order. ICC chunks are decided only at the
   * first SOS, once their total size is known, so they are listed apart (segment and profile data).
   */
  private final Ranges dropped = new Ranges();

  private final Ranges iccSegments = new Ranges();
  private final Ranges iccData = new Ranges();
  private final ChunkCount segments;

  private int width;
  private int height;
  private int components;
  private int[] componentIds;
  private int[] hSampling;
  private int[] vSampling;
  private boolean progressive;
  private int orientation = 1;
  private boolean jfif;
  private long iccBytes;

  private JpegScanner(EncodedImage image, ImageLimits limits) {
    this.b = image.bytes();
    this.start = image.offset();
    this.end = image.end();
    this.limits = limits;
    this.segments = new ChunkCount(JPEG, limits, "marker segments");
  }

  static Scan scan(EncodedImage image, ImageLimits limits) {
    return new JpegScanner(image, limits).scan();
  }

  private Scan scan() {
    int at = start + 2;
    while (true) {
      at = nextMarker(at);
      int marker = b[at + 1] & 0xFF;
      segments.next();
      if (marker == SOI) {
        throw corrupt(JPEG, "has a second start-of-image marker before any image data");
      }
      if (marker == EOI) {
        throw corrupt(JPEG, "ends before any image data");
      }
      if (marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
        // Stand-alone markers outside entropy-coded data mean nothing; libjpeg skips them too.
        drop(at, at + 2);
        at += 2;
        continue;
      }
      int segmentEnd = segmentEnd(at);
      int data = at + 4;
      switch (marker) {
        case SOF0, SOF1, SOF2 -> readFrame(marker, data, segmentEnd);
        case DHT, DQT, DRI -> {}
        case SOS -> {
          return finish(at, data, segmentEnd);
        }
        case APP0 -> {
          if (!jfif && Bytes.startsWith(b, data, segmentEnd, "JFIF\0")) {
            // Decides the colour space of 3-component images for TwelveMonkeys.
            jfif = true;
          } else {
            drop(at, segmentEnd);
          }
        }
        case APP1 -> {
          if (orientation == 1 && Bytes.startsWith(b, data, segmentEnd, "Exif\0")) {
            // "Exif\0" and one pad byte precede the TIFF header.
            orientation = Orientation.fromExif(b, data + 6, segmentEnd, limits.maxChunks());
          }
          drop(at, segmentEnd);
        }
        case APP2 -> {
          if (Bytes.startsWith(b, data, segmentEnd, "ICC_PROFILE\0") && segmentEnd - data >= 14) {
            iccSegments.add(at, segmentEnd);
            iccData.add(data + 14, segmentEnd);
            iccBytes += segmentEnd - data - 14;
          } else {
            drop(at, segmentEnd);
          }
        }
        case APP14 -> {
          // Adobe: the colour transform of 3- and 4-component images (RGB/YCbCr, CMYK/YCCK).
          if (!Bytes.startsWith(b, data, segmentEnd, "Adobe")) {
            drop(at, segmentEnd);
          }
        }
        default -> {
          if (marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != DAC) {
            throw corrupt(
                JPEG,
                "uses a coding process this service does not decode (SOF"
                    + (marker - 0xC0)
                    + ": lossless, hierarchical or arithmetic)");
          }
          if (marker == DAC) {
            throw corrupt(JPEG, "uses arithmetic coding, which this service does not decode");
          }
          // COM, APP3..APP13, APP15 and anything unknown: not needed for the pixels.
          drop(at, segmentEnd);
        }
      }
      at = segmentEnd;
    }
  }

  /** Reads SOFn: precision, size, components and their sampling factors. */
  private void readFrame(int marker, int data, int segmentEnd) {
    if (components != 0) {
      throw corrupt(JPEG, "has more than one frame header");
    }
    if (segmentEnd - data < 6) {
      throw corrupt(JPEG, "has a truncated frame header");
    }
    int precision = b[data] & 0xFF;
    height = Bytes.u16be(b, data + 1);
    width = Bytes.u16be(b, data + 3);
    int n = b[data + 5] & 0xFF;
    if (precision != 8) {
      throw corrupt(JPEG, "has " + precision + "-bit samples; only 8-bit JPEG is decoded");
    }
    if (width == 0 || height == 0) {
      throw corrupt(JPEG, "has no pixels (" + width + "x" + height + ")");
    }
    if (n < 1 || n > 4 || segmentEnd - data < 6 + 3 * n) {
      throw corrupt(JPEG, "has a frame header with " + n + " components");
    }
    if ((long) width * height > limits.maxPixels()) {
      throw ImageRejectedException.tooManyPixels(width, height, limits.maxPixels());
    }
    componentIds = new int[n];
    hSampling = new int[n];
    vSampling = new int[n];
    int blocksPerMcu = 0;
    for (int i = 0; i < n; i++) {
      int c = data + 6 + 3 * i;
      componentIds[i] = b[c] & 0xFF;
      hSampling[i] = (b[c + 1] & 0xFF) >> 4;
      vSampling[i] = b[c + 1] & 0x0F;
      if (hSampling[i] < 1 || hSampling[i] > 4 || vSampling[i] < 1 || vSampling[i] > 4) {
        throw corrupt(JPEG, "has sampling factors outside 1..4");
      }
      blocksPerMcu += hSampling[i] * vSampling[i];
    }
    if (n > 1 && blocksPerMcu > 10) {
      // libjpeg's limit on blocks per interleaved MCU (D_MAX_BLOCKS_IN_MCU).
      throw corrupt(JPEG, "has " + blocksPerMcu + " blocks per MCU, more than 10");
    }
    components = n;
    progressive = marker == SOF2;
  }

  /** Called at the first SOS: checks it, walks the remaining scans if there are any, builds. */
  private Scan finish(int sos, int data, int segmentEnd) {
    if (components == 0) {
      throw corrupt(JPEG, "has image data before its frame header");
    }
    int first = readScanHeader(data, segmentEnd);
    boolean multiScan = progressive || first < components;
    int scans = 1;
    int at = segmentEnd;
    if (multiScan) {
      // Every further scan makes libjpeg visit every block again: count them all.
      while (true) {
        at = nextMarkerAfterData(at);
        int marker = b[at + 1] & 0xFF;
        if (marker == EOI) {
          break;
        }
        segments.next();
        int next = segmentEnd(at);
        if (marker == SOS) {
          if (++scans > limits.maxJpegScans()) {
            throw corrupt(
                JPEG,
                "has more than "
                    + limits.maxJpegScans()
                    + " scans (classifier.image.max-jpeg-scans)");
          }
          readScanHeader(at + 4, next);
        } else if (marker != DHT
            && marker != DQT
            && marker != DRI
            && marker != DNL
            && (marker < APP0 || marker > COM)) {
          throw corrupt(
              JPEG, String.format("has an unexpected marker 0x%02X between scans", marker));
        }
        at = next;
      }
    }
    boolean dropIcc = iccBytes > limits.maxIccProfileBytes() || !iccHeaderPlausible();
    Ranges gaps = dropIcc ? Ranges.merge(dropped, iccSegments) : dropped;
    int from = start;
    for (int i = 0; i < gaps.size(); i++) {
      kept.keep(b, from, gaps.from(i));
      from = gaps.to(i);
    }
    kept.keep(b, from, end);
    boolean colourManaged = !dropIcc && iccSegments.size() > 0 && !isSrgb();
    JpegSegments segmentsInfo = new JpegSegments(orientation, colourManaged);
    JpegHeader header =
        new JpegHeader(components, progressive, multiScan, scans, coefficientBytes(), segmentsInfo);
    long iccKept = dropIcc ? 0 : iccBytes;
    // ImageIO path: the destination (3 bytes per pixel, 4 for CMYK); TwelveMonkeys decodes a raster
    // and converts it into the destination for ICC-tagged and CMYK/YCCK images, and SrgbRows
    // converts a non-sRGB destination once more (4 bytes per pixel).
    boolean converted = colourManaged || components == 4;
    int perPixel = converted ? 4 + 4 + 4 : 4;
    long rows = 64L * width * components;
    long stored = (multiScan ? coefficientBytes() : 0) + rows;
    long fixed = 256 * 1024 + 4 * iccKept;
    return new Scan(
        JPEG,
        width,
        height,
        orientation,
        kept.build(),
        new Scan.Footprint(fixed, stored, perPixel),
        null,
        header);
  }

  /** Checks one scan header against the frame and libjpeg's fatal progression rules. */
  private int readScanHeader(int data, int segmentEnd) {
    if (segmentEnd - data < 1) {
      throw corrupt(JPEG, "has a truncated scan header");
    }
    int n = b[data] & 0xFF;
    if (n < 1 || n > 4 || segmentEnd - data < 4 + 2 * n) {
      throw corrupt(JPEG, "has a scan header with " + n + " components");
    }
    for (int i = 0; i < n; i++) {
      int id = b[data + 1 + 2 * i] & 0xFF;
      boolean known = false;
      for (int c : componentIds) {
        known |= c == id;
      }
      if (!known) {
        throw corrupt(JPEG, "has a scan of a component the frame does not declare");
      }
    }
    int p = data + 1 + 2 * n;
    int ss = b[p] & 0xFF;
    int se = b[p + 1] & 0xFF;
    int ah = (b[p + 2] & 0xFF) >> 4;
    int al = b[p + 2] & 0x0F;
    if (progressive) {
      boolean bad = ss == 0 ? se != 0 : ss > se || se > 63 || n != 1;
      bad |= ah != 0 && al != ah - 1;
      bad |= al > 13;
      if (bad) {
        throw corrupt(JPEG, "has an invalid progressive scan");
      }
    }
    return n;
  }

  /** The size field of the profile's first chunk (sequence number 1) against the chunks' total. */
  private boolean iccHeaderPlausible() {
    for (int i = 0; i < iccData.size(); i++) {
      if ((b[iccData.from(i) - 2] & 0xFF) == 1) {
        return IccHeader.plausible(b, iccData.from(i), iccData.to(i), iccBytes);
      }
    }
    return iccData.size() == 0;
  }

  private long coefficientBytes() {
    int maxH = 1;
    int maxV = 1;
    for (int i = 0; i < components; i++) {
      maxH = Math.max(maxH, hSampling[i]);
      maxV = Math.max(maxV, vSampling[i]);
    }
    long total = 0;
    for (int i = 0; i < components; i++) {
      long blocksWide = ceilDiv((long) width * hSampling[i], 8L * maxH);
      long blocksHigh = ceilDiv((long) height * vSampling[i], 8L * maxV);
      total += roundUp(blocksWide, hSampling[i]) * roundUp(blocksHigh, vSampling[i]) * 128;
    }
    return total;
  }

  /**
   * Only single-chunk profiles are inspected (sRGB is 3 KB); a multi-chunk one is assumed to need
   * work. Unreadable profiles count as needing work: TwelveMonkeys then decides.
   */
  private boolean isSrgb() {
    if (iccData.size() != 1) {
      return false;
    }
    try {
      int from = iccData.from(0);
      int to = iccData.to(0);
      byte[] profile = new byte[to - from];
      System.arraycopy(b, from, profile, 0, profile.length);
      return ColorProfiles.isCS_sRGB(ICC_Profile.getInstance(profile));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Index of the next marker's 0xFF from {@code at}, skipping fill bytes and stray data. */
  private int nextMarker(int at) {
    int i = at;
    while (i < end && (b[i] & 0xFF) != 0xFF) {
      i++;
    }
    if (i > at) {
      // Extraneous bytes between segments: libjpeg skips them with a warning; so do we, silently.
      drop(at, i);
    }
    int fill = i;
    while (i + 1 < end && (b[i + 1] & 0xFF) == 0xFF) {
      i++;
    }
    if (i > fill) {
      drop(fill, i);
    }
    if (i + 1 >= end) {
      throw corrupt(JPEG, "is truncated: it ends before its image data");
    }
    return i;
  }

  /** Index of the next marker after entropy-coded data (0xFF 0x00 and RSTn belong to the data). */
  private int nextMarkerAfterData(int at) {
    int i = JpegMarkers.afterEntropyData(b, at, end);
    if (i < 0) {
      throw corrupt(JPEG, "is truncated: a scan has no end");
    }
    return i;
  }

  /** End of the length-prefixed segment whose marker is at {@code at}. */
  private int segmentEnd(int at) {
    if (end - at < 4) {
      throw corrupt(JPEG, "is truncated inside a marker segment");
    }
    int length = Bytes.u16be(b, at + 2);
    if (length < 2 || length > end - at - 2) {
      throw corrupt(
          JPEG,
          String.format(
              "has a marker segment 0x%02X of %d bytes that runs past the end",
              b[at + 1] & 0xFF, length));
    }
    return at + 2 + length;
  }

  private void drop(int from, int to) {
    dropped.add(from, to);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static long roundUp(long a, long multiple) {
    return ceilDiv(a, multiple) * multiple;
  }
}
