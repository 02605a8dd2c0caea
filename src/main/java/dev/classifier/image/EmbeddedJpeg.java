package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.corrupt;
import static dev.classifier.image.JpegMarkers.DAC;
import static dev.classifier.image.JpegMarkers.DHT;
import static dev.classifier.image.JpegMarkers.EOI;
import static dev.classifier.image.JpegMarkers.SOF0;
import static dev.classifier.image.JpegMarkers.SOF1;
import static dev.classifier.image.JpegMarkers.SOI;
import static dev.classifier.image.JpegMarkers.SOS;

/**
 * The check of a JPEG stream that a TIFF strip or tile carries, before the TIFF reader decodes it.
 */
final class EmbeddedJpeg {

  private EmbeddedJpeg() {}

  /**
   * Checks a JPEG stream embedded in a TIFF strip or tile (or its JPEGTables) in {@code b[from,
   * to)}: sequential coding only, at most one scan per component (libjpeg revisits every block per
   * scan, and TIFF strips are many), every segment inside the range.
   */
  static void check(byte[] b, int from, int to, ImageLimits limits) {
    ImageFormat tiff = ImageFormat.TIFF;
    if (to - from < 4 || (b[from] & 0xFF) != 0xFF || (b[from + 1] & 0xFF) != SOI) {
      throw corrupt(tiff, "has a JPEG strip or tile that does not start with SOI");
    }
    int at = from + 2;
    int scans = 0;
    int components = 4;
    int segments = 0;
    while (at + 1 < to) {
      if ((b[at] & 0xFF) != 0xFF) {
        throw corrupt(tiff, "has a JPEG strip or tile with bytes between its segments");
      }
      int marker = b[at + 1] & 0xFF;
      if (marker == 0xFF) {
        at++;
        continue;
      }
      if (marker == EOI) {
        return;
      }
      if (++segments > limits.maxChunks()) {
        throw corrupt(tiff, "has a JPEG strip or tile with too many segments");
      }
      if (to - at < 4 || Bytes.u16be(b, at + 2) < 2 || Bytes.u16be(b, at + 2) > to - at - 2) {
        throw corrupt(tiff, "has a JPEG strip or tile whose segment runs past its end");
      }
      int next = at + 2 + Bytes.u16be(b, at + 2);
      if (marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != DAC) {
        if (marker != SOF0 && marker != SOF1) {
          throw corrupt(tiff, "has a JPEG strip or tile that is not baseline or sequential");
        }
        components = next - at > 9 ? b[at + 9] & 0xFF : 4;
      }
      if (marker == SOS) {
        if (++scans > Math.max(1, components)) {
          throw corrupt(tiff, "has a JPEG strip or tile with more scans than components");
        }
        int data = JpegMarkers.afterEntropyData(b, next, to);
        if (data < 0) {
          return;
        }
        next = data;
      }
      at = next;
    }
  }
}
