package dev.classifier.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The JDK's PNG reader returns the pixels of an ICC-tagged PNG as if they were sRGB. The structure
 * scan keeps the iCCP chunk from the reader and inflates it here, bounded by the output size; this
 * then re-labels the decoded RGB image with the profile so that {@link SrgbRows} converts it like
 * any other ICC-tagged image. A profile that is unreadable, over the size limit or not RGB leaves
 * the image as sRGB, which is what PNG viewers without colour management show.
 */
final class PngColorProfile {

  private PngColorProfile() {}

  /**
   * Inflates a zlib stream ({@code b[from, to)}) into at most {@code maxBytes} bytes: {@code null}
   * when it is corrupt, incomplete or would inflate to more. The inflater never produces more than
   * {@code maxBytes + 1} bytes, whatever the compression ratio (deflated zeros compress about
   * 1000:1, so a 1 MB chunk could otherwise inflate to 1 GB).
   */
  static byte[] inflate(byte[] b, int from, int to, int maxBytes) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(b, from, to - from);
      byte[] out = new byte[Math.min(maxBytes + 1, Math.max(1024, 4 * (to - from)))];
      int size = 0;
      while (!inflater.finished()) {
        if (size == out.length) {
          if (out.length > maxBytes) {
            return null;
          }
          out = Arrays.copyOf(out, Math.min(maxBytes + 1, out.length * 2));
        }
        int n = inflater.inflate(out, size, out.length - size);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return null;
        }
        size += n;
      }
      return size > maxBytes ? null : Arrays.copyOf(out, size);
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }

  /** The image re-labelled with {@code profile} if both are RGB; else the image unchanged. */
  static BufferedImage tagged(BufferedImage image, byte[] profile) {
    if (profile == null
        || !(image.getColorModel() instanceof ComponentColorModel cm)
        || cm.getNumColorComponents() != 3) {
      return image;
    }
    ICC_Profile icc;
    try {
      icc = ICC_Profile.getInstance(profile);
    } catch (IllegalArgumentException e) {
      return image;
    }
    if (icc.getColorSpaceType() != ColorSpace.TYPE_RGB) {
      return image;
    }
    ComponentColorModel tagged =
        new ComponentColorModel(
            new ICC_ColorSpace(icc),
            cm.getComponentSize(),
            cm.hasAlpha(),
            cm.isAlphaPremultiplied(),
            cm.hasAlpha() ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
            cm.getTransferType());
    return new BufferedImage(tagged, image.getRaster(), cm.isAlphaPremultiplied(), null);
  }
}
