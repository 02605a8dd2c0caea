package dev.classifier.image;

import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * What a JPEG's header segments say beyond the pixels, read in one scan: the EXIF orientation (APP1) and
 * whether an ICC profile is embedded (APP2), which decides if the colour-unaware native fast path may be used.
 */
record JpegSegments(int orientation, boolean hasIccProfile) {

  private static final Map<Integer, List<String>> WANTED =
      Map.of(JPEG.APP1, List.of("Exif"), JPEG.APP2, List.of("ICC_PROFILE"));

  /** Unreadable segments count as absent: the decoder, not this scan, decides whether the image is corrupt. */
  static JpegSegments read(byte[] bytes) {
    List<JPEGSegment> segments;
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      segments = JPEGSegmentUtil.readSegments(in, WANTED);
    } catch (IOException | RuntimeException e) {
      return new JpegSegments(1, false);
    }
    int orientation = 1;
    boolean icc = false;
    for (JPEGSegment segment : segments) {
      if (segment.marker() == JPEG.APP2) {
        icc = true;
      } else if (orientation == 1) {
        orientation = exifOrientation(segment);
      }
    }
    return new JpegSegments(orientation, icc);
  }

  private static int exifOrientation(JPEGSegment segment) {
    try {
      InputStream data = segment.data();
      // The identifier is "Exif\0" followed by one pad byte before the TIFF header.
      if (data.read() < 0) {
        return 1;
      }
      try (ImageInputStream exif = new MemoryCacheImageInputStream(data)) {
        return Orientation.fromTiffStream(exif);
      }
    } catch (IOException | RuntimeException e) {
      return 1;
    }
  }
}
