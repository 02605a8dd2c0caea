package dev.classifier.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/**
 * Reads a decoded image row by row as 8-bit-scale sRGB floats (R, G, B, 0..255), whatever the
 * decoder produced: grey is expanded to three equal channels, 16-bit samples keep their precision
 * (v / 257), alpha is composited over white, and any non-sRGB colour space (embedded ICC profile,
 * CMYK) is converted to sRGB first.
 *
 * <p>Grey samples are taken as they are stored rather than through {@code BufferedImage.getRGB},
 * which treats Java's grey colour space as linear and would brighten every grey image. Rows are
 * read in bulk from the raster (directly from the byte buffer for the common interleaved 8-bit
 * layouts), never pixel by pixel. Not thread-safe: one instance per decoded image.
 */
final class SrgbRows {

  private final BufferedImage image;
  private final Raster raster;
  private final int width;
  private final boolean component;
  private final int colorBands;
  private final boolean hasAlpha;
  private final boolean premultiplied;
  private final float[] scale;
  private final int[] samples;
  private final int[] argb;
  private final byte[] bytes;
  private final int[] byteOffsets;
  private final int pixelStride;
  private final int scanlineStride;
  // readStored's span of a row: from the first colour sample of its first pixel to the last
  // colour sample of its last.
  private final int firstStored;
  private final int storedRowLength;

  SrgbRows(BufferedImage decoded) {
    this.image = toReadableColorSpace(decoded);
    this.raster = image.getRaster();
    this.width = image.getWidth();
    ColorModel cm = image.getColorModel();
    int transfer = cm.getTransferType();
    this.component =
        cm instanceof ComponentColorModel
            && (transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT);
    this.colorBands = cm.getNumColorComponents();
    this.hasAlpha = cm.hasAlpha();
    this.premultiplied = cm.isAlphaPremultiplied();
    int bands = cm.getNumComponents();
    this.scale = new float[bands];
    for (int b = 0; b < bands; b++) {
      scale[b] = 255f / ((1 << cm.getComponentSize(b)) - 1);
    }
    boolean direct =
        component
            && raster.getDataBuffer() instanceof DataBufferByte buffer
            && buffer.getNumBanks() == 1
            && raster.getSampleModel() instanceof ComponentSampleModel;
    if (direct) {
      ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
      this.bytes = ((DataBufferByte) raster.getDataBuffer()).getData();
      this.pixelStride = sm.getPixelStride();
      this.scanlineStride = sm.getScanlineStride();
      int base =
          raster.getDataBuffer().getOffset()
              - raster.getSampleModelTranslateY() * scanlineStride
              - raster.getSampleModelTranslateX() * pixelStride;
      this.byteOffsets = sm.getBandOffsets().clone();
      for (int b = 0; b < byteOffsets.length; b++) {
        byteOffsets[b] += base;
      }
      int first = Integer.MAX_VALUE;
      int last = 0;
      for (int b = 0; b < colorBands; b++) {
        first = Math.min(first, byteOffsets[b]);
        last = Math.max(last, byteOffsets[b]);
      }
      this.firstStored = first;
      this.storedRowLength = (width - 1) * pixelStride + last - first + 1;
    } else {
      this.bytes = null;
      this.byteOffsets = null;
      this.pixelStride = 0;
      this.scanlineStride = 0;
      this.firstStored = 0;
      this.storedRowLength = 0;
    }
    this.samples = component && !direct ? new int[width * bands] : null;
    this.argb = component ? null : new int[width];
  }

  int width() {
    return width;
  }

  int height() {
    return image.getHeight();
  }

  /**
   * Whether the samples are opaque 8-bit bytes in one array, so that rows may be read as stored
   * with {@link #readStored} instead of through {@link #read}: JPEG output (3-byte BGR) and 8-bit
   * grey.
   */
  boolean opaqueBytes() {
    return bytes != null && !hasAlpha;
  }

  /**
   * Writes row {@code y}'s samples as floats in the order they are stored, channels neither moved
   * nor expanded: pixel {@code x}'s channel {@code c} lands at {@code x * storedPixelStride() +
   * storedChannelOffset(c)}, {@link #storedRowLength} floats in all. One straight conversion loop,
   * which the JIT vectorises, where {@link #read} moves every sample into R, G, B order one at a
   * time. Only when {@link #opaqueBytes}.
   */
  void readStored(int y, float[] out) {
    byte[] in = bytes;
    int from = y * scanlineStride + firstStored;
    for (int i = 0; i < storedRowLength; i++) {
      out[i] = in[from + i] & 0xFF;
    }
  }

  /** How many floats {@link #readStored} writes. */
  int storedRowLength() {
    return storedRowLength;
  }

  /** How far apart two neighbouring pixels are in {@link #readStored}'s row. */
  int storedPixelStride() {
    return pixelStride;
  }

  /**
   * Where channel {@code c} (0 R, 1 G, 2 B) is from its pixel's start in {@link #readStored}'s row;
   * grey has one sample for all three.
   */
  int storedChannelOffset(int c) {
    return byteOffsets[colorBands == 3 ? c : 0] - firstStored;
  }

  /** Writes row {@code y} as {@code width * 3} floats R, G, B in 0..255 into {@code out}. */
  void read(int y, float[] out) {
    if (!component) {
      readPacked(y, out);
    } else if (bytes != null && !hasAlpha) {
      readOpaqueBytes(y, out);
    } else {
      readComponents(y, out);
    }
  }

  /** The hot path for JPEG output (3-byte BGR) and 8-bit grey: straight from the byte buffer. */
  private void readOpaqueBytes(int y, float[] out) {
    int row = y * scanlineStride;
    int r = byteOffsets[0];
    if (colorBands == 3) {
      int g = byteOffsets[1];
      int b = byteOffsets[2];
      for (int x = 0, p = row, o = 0; x < width; x++, p += pixelStride, o += 3) {
        out[o] = bytes[p + r] & 0xFF;
        out[o + 1] = bytes[p + g] & 0xFF;
        out[o + 2] = bytes[p + b] & 0xFF;
      }
    } else {
      for (int x = 0, p = row, o = 0; x < width; x++, p += pixelStride, o += 3) {
        float v = bytes[p + r] & 0xFF;
        out[o] = v;
        out[o + 1] = v;
        out[o + 2] = v;
      }
    }
  }

  private void readComponents(int y, float[] out) {
    int bands = colorBands + (hasAlpha ? 1 : 0);
    if (bytes == null) {
      raster.getPixels(0, y, width, 1, samples);
    }
    for (int x = 0; x < width; x++) {
      float r;
      float g;
      float b;
      float a = 255f;
      if (bytes != null) {
        int p = y * scanlineStride + x * pixelStride;
        r = bytes[p + byteOffsets[0]] & 0xFF;
        g = colorBands == 3 ? bytes[p + byteOffsets[1]] & 0xFF : r;
        b = colorBands == 3 ? bytes[p + byteOffsets[2]] & 0xFF : r;
        if (hasAlpha) {
          a = bytes[p + byteOffsets[colorBands]] & 0xFF;
        }
      } else {
        int p = x * bands;
        r = samples[p] * scale[0];
        g = colorBands == 3 ? samples[p + 1] * scale[1] : r;
        b = colorBands == 3 ? samples[p + 2] * scale[2] : r;
        if (hasAlpha) {
          a = samples[p + colorBands] * scale[colorBands];
        }
      }
      store(out, x, r, g, b, a, premultiplied);
    }
  }

  private void readPacked(int y, float[] out) {
    image.getRGB(0, y, width, 1, argb, 0, width);
    for (int x = 0; x < width; x++) {
      int p = argb[x];
      float a = hasAlpha ? (p >>> 24) : 255f;
      store(out, x, (p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF, a, false);
    }
  }

  private static void store(
      float[] out, int x, float r, float g, float b, float a, boolean premultiplied) {
    if (a < 255f) {
      // Over white: c * a + 255 * (1 - a), where a premultiplied colour already carries its c * a.
      float alpha = a / 255f;
      float white = 255f * (1f - alpha);
      float k = premultiplied ? 1f : alpha;
      r = r * k + white;
      g = g * k + white;
      b = b * k + white;
    }
    out[x * 3] = r;
    out[x * 3 + 1] = g;
    out[x * 3 + 2] = b;
  }

  /**
   * sRGB and grey are read as stored; everything else (ICC-tagged RGB, CMYK, Lab...) is converted
   * once.
   */
  private static BufferedImage toReadableColorSpace(BufferedImage image) {
    ColorSpace cs = image.getColorModel().getColorSpace();
    if (cs.isCS_sRGB() || cs.getType() == ColorSpace.TYPE_GRAY) {
      return image;
    }
    int type =
        image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    BufferedImage srgb = new BufferedImage(image.getWidth(), image.getHeight(), type);
    new ColorConvertOp(null).filter(image, srgb);
    return srgb;
  }
}
