package dev.classifier.image;

import com.twelvemonkeys.imageio.color.ColorSpaces;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.color.ICC_Profile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * What a JPEG's header segments say beyond the pixels, read in one scan: the EXIF orientation
 * (APP1) and whether an embedded ICC profile (APP2) asks for a colour conversion, which the
 * colour-unaware native fast path cannot do. An embedded sRGB profile, common in phone and web
 * images, asks for none.
 */
record JpegSegments(int orientation, boolean needsColourManagement) {

  private static final Map<Integer, List<String>> WANTED =
      Map.of(JPEG.APP1, List.of("Exif"), JPEG.APP2, List.of("ICC_PROFILE"));

  /**
   * Unreadable segments count as absent: the decoder, not this scan, decides whether the image is
   * corrupt.
   */
  static JpegSegments read(byte[] bytes) {
    List<JPEGSegment> segments;
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      segments = JPEGSegmentUtil.readSegments(in, WANTED);
    } catch (IOException | RuntimeException e) {
      return new JpegSegments(1, false);
    }
    int orientation = 1;
    List<JPEGSegment> profileChunks = new ArrayList<>();
    for (JPEGSegment segment : segments) {
      if (segment.marker() == JPEG.APP2) {
        profileChunks.add(segment);
      } else if (orientation == 1) {
        orientation = exifOrientation(segment);
      }
    }
    return new JpegSegments(orientation, !profileChunks.isEmpty() && !isSrgb(profileChunks));
  }

  /**
   * Only single-chunk profiles are inspected (sRGB is 3 KB); a multi-chunk one is assumed to need
   * work.
   */
  private static boolean isSrgb(List<JPEGSegment> profileChunks) {
    if (profileChunks.size() != 1) {
      return false;
    }
    try (InputStream data = profileChunks.get(0).data()) {
      // Chunk sequence number and chunk count precede the profile bytes.
      if (data.skip(2) != 2) {
        return false;
      }
      return ColorSpaces.isCS_sRGB(ICC_Profile.getInstance(data.readAllBytes()));
    } catch (IOException | RuntimeException e) {
      return false;
    }
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
