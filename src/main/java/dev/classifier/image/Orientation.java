package dev.classifier.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The EXIF orientation (TIFF tag 274, values 1..8) of an image and the pixel mapping it implies. Cameras store
 * pixels as the sensor saw them and record the rotation separately; the model must see the picture upright.
 * Unreadable or absent EXIF means "as stored" (1): metadata damage is not a reason to refuse an image.
 */
final class Orientation {

  private Orientation() {}

  /** Reads the orientation of a JPEG (APP1 Exif segment) or TIFF (IFD0); other formats report 1. */
  static int read(ImageFormat format, byte[] bytes) {
    try {
      return switch (format) {
        case JPEG -> fromJpeg(bytes);
        case TIFF -> fromTiff(bytes);
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
   * Index of the stored pixel shown at displayed position (x, y), for a stored image of storedWidth x
   * storedHeight (displayed size is the same or transposed).
   */
  static int storedIndex(int orientation, int x, int y, int storedWidth, int storedHeight) {
    int sx;
    int sy;
    switch (orientation) {
      case 2 -> { sx = storedWidth - 1 - x; sy = y; }
      case 3 -> { sx = storedWidth - 1 - x; sy = storedHeight - 1 - y; }
      case 4 -> { sx = x; sy = storedHeight - 1 - y; }
      case 5 -> { sx = y; sy = x; }
      case 6 -> { sx = y; sy = storedHeight - 1 - x; }
      case 7 -> { sx = storedWidth - 1 - y; sy = storedHeight - 1 - x; }
      case 8 -> { sx = storedWidth - 1 - y; sy = x; }
      default -> { sx = x; sy = y; }
    }
    return sy * storedWidth + sx;
  }

  private static int fromJpeg(byte[] bytes) throws IOException {
    List<JPEGSegment> segments;
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
    }
    if (segments.isEmpty()) {
      return 1;
    }
    InputStream data = segments.get(0).data();
    // The identifier is "Exif\0" followed by one pad byte before the TIFF header.
    if (data.read() < 0) {
      return 1;
    }
    try (ImageInputStream exif = new MemoryCacheImageInputStream(data)) {
      return orientationOf(new TIFFReader().read(exif));
    }
  }

  private static int fromTiff(byte[] bytes) throws IOException {
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      return orientationOf(new TIFFReader().read(in));
    }
  }

  private static int orientationOf(Directory directory) {
    Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
    if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
      return n.intValue();
    }
    return 1;
  }
}
