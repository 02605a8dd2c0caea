package dev.classifier.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import javax.imageio.stream.ImageInputStream;

/**
 * The EXIF orientation (TIFF tag 274, values 1..8) of an image and the pixel mapping it implies.
 * Cameras store pixels as the sensor saw them and record the rotation separately; the model must
 * see the picture upright. Unreadable or absent EXIF means "as stored" (1): metadata damage is not
 * a reason to refuse an image.
 */
final class Orientation {

  private Orientation() {}

  /**
   * Reads the orientation of a JPEG (APP1 Exif), TIFF (IFD0) or WebP (EXIF chunk); others report 1.
   */
  static int read(ImageFormat format, byte[] bytes) {
    try {
      return switch (format) {
        case JPEG -> JpegSegments.read(bytes).orientation();
        case TIFF -> fromTiff(bytes);
        case WEBP -> fromWebp(bytes);
        default -> 1;
      };
    } catch (IOException | RuntimeException e) {
      return 1;
    }
  }

  /** Orientations 5..8 store the picture transposed: displayed width is the stored height. */
  static boolean swapsAxes(int orientation) {
    return orientation >= 5;
  }

  /**
   * Index of the stored pixel shown at displayed position (x, y), for a stored image of storedWidth
   * x storedHeight (displayed size is the same or transposed).
   */
  static int storedIndex(int orientation, int x, int y, int storedWidth, int storedHeight) {
    int sx;
    int sy;
    switch (orientation) {
      case 2 -> {
        sx = storedWidth - 1 - x;
        sy = y;
      }
      case 3 -> {
        sx = storedWidth - 1 - x;
        sy = storedHeight - 1 - y;
      }
      case 4 -> {
        sx = x;
        sy = storedHeight - 1 - y;
      }
      case 5 -> {
        sx = y;
        sy = x;
      }
      case 6 -> {
        sx = y;
        sy = storedHeight - 1 - x;
      }
      case 7 -> {
        sx = storedWidth - 1 - y;
        sy = storedHeight - 1 - x;
      }
      case 8 -> {
        sx = storedWidth - 1 - y;
        sy = x;
      }
      default -> {
        sx = x;
        sy = y;
      }
    }
    return sy * storedWidth + sx;
  }

  private static int fromTiff(byte[] bytes) throws IOException {
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      return fromTiffStream(in);
    }
  }

  /**
   * Walks the RIFF chunks (fourcc, little-endian size, data padded to even length) to the EXIF one.
   */
  private static int fromWebp(byte[] bytes) throws IOException {
    int at = 12;
    while (at + 8 <= bytes.length) {
      long size =
          (bytes[at + 4] & 0xFFL)
              | (bytes[at + 5] & 0xFFL) << 8
              | (bytes[at + 6] & 0xFFL) << 16
              | (bytes[at + 7] & 0xFFL) << 24;
      int data = at + 8;
      if (size > bytes.length - data) {
        return 1;
      }
      if (bytes[at] == 'E'
          && bytes[at + 1] == 'X'
          && bytes[at + 2] == 'I'
          && bytes[at + 3] == 'F') {
        // Some writers keep the JPEG-style "Exif\0\0" prefix before the TIFF header.
        int skip = size >= 6 && bytes[data] == 'E' && bytes[data + 1] == 'x' ? 6 : 0;
        try (ImageInputStream in =
            new ByteArrayImageInputStream(bytes, data + skip, (int) size - skip)) {
          return fromTiffStream(in);
        }
      }
      at = data + (int) size + (int) (size & 1);
    }
    return 1;
  }

  /**
   * Orientation from a TIFF structure: a TIFF file, or the TIFF block inside a JPEG's Exif segment.
   */
  static int fromTiffStream(ImageInputStream in) throws IOException {
    Directory directory = new TIFFReader().read(in);
    Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
    if (entry != null
        && entry.getValue() instanceof Number n
        && n.intValue() >= 1
        && n.intValue() <= 8) {
      return n.intValue();
    }
    return 1;
  }
}
