package dev.classifier.image;

/**
 * The EXIF orientation (TIFF tag 274, values 1..8) of an image and the pixel mapping it implies.
 * Cameras store pixels as the sensor saw them and record the rotation separately; the model must
 * see the picture upright. Unreadable or absent EXIF means "as stored" (1): metadata damage is not
 * a reason to refuse an image. The structure scans read it (JPEG APP1, TIFF IFD0, WebP EXIF chunk)
 * with {@link TiffDirectory}, which reads IFD0 only and checks every field against the slice.
 */
final class Orientation {

  private static final int TAG_ORIENTATION = 274;

  private Orientation() {}

  /**
   * The orientation in the TIFF structure (an EXIF block) at {@code b[start, end)}, or 1 if it
   * cannot be read.
   */
  static int fromExif(byte[] b, int start, int end, int maxEntries) {
    try {
      return fromDirectory(TiffDirectory.read(b, start, end, maxEntries));
    } catch (TiffDirectory.MalformedException e) {
      return 1;
    }
  }

  /** The orientation tag of a directory already read, 1 when absent or out of range. */
  static int fromDirectory(TiffDirectory directory) {
    long value = directory.single(TAG_ORIENTATION, 1);
    return value >= 1 && value <= 8 ? (int) value : 1;
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

  /**
   * How far the displayed index moves from one stored pixel of row {@code y} to the next: a
   * constant along the row (±1, or ± the displayed width for the transposing orientations).
   */
  static int displayedStep(int orientation, int y, int storedWidth, int storedHeight) {
    return storedWidth > 1
        ? displayedIndex(orientation, 1, y, storedWidth, storedHeight)
            - displayedIndex(orientation, 0, y, storedWidth, storedHeight)
        : 0;
  }

  /**
   * Index of the displayed pixel that stored pixel (x, y) becomes: {@link #storedIndex} run
   * backwards. Every orientation is its own inverse except the two quarter turns, 6 and 8.
   */
  static int displayedIndex(int orientation, int x, int y, int storedWidth, int storedHeight) {
    int inverse = orientation == 6 ? 8 : orientation == 8 ? 6 : orientation;
    return swapsAxes(orientation)
        ? storedIndex(inverse, x, y, storedHeight, storedWidth)
        : storedIndex(inverse, x, y, storedWidth, storedHeight);
  }
}
