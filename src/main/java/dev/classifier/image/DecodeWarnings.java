package dev.classifier.image;

import dev.classifier.image.ImageRejectedException.Reason;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;

/**
 * Decoders report truncated or garbled entropy-coded data as a warning and fill the rest with grey;
 * such an image must be refused, not classified. Warnings about harmless quirks (stray bytes
 * between markers, ignored metadata) are tolerated because real cameras and editors produce them.
 * One instance per read.
 */
final class DecodeWarnings implements IIOReadWarningListener {

  private String fatal;

  @Override
  public void warningOccurred(ImageReader source, String warning) {
    String w = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
    boolean corrupt =
        w.contains("premature end")
            || w.contains("truncat")
            || (w.contains("corrupt") && !w.contains("extraneous bytes"));
    if (corrupt && fatal == null) {
      fatal = warning;
    }
  }

  void throwIfCorrupt(ImageFormat format) {
    if (fatal != null) {
      throw new ImageRejectedException(
          Reason.CORRUPT, format.formatName() + " image is corrupt: " + fatal);
    }
  }
}
