package dev.classifier.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.classifier.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns sniffed bytes into a (possibly reduced-resolution) BufferedImage, refusing oversized images
 * from their header before any pixel is decoded and translating every decoder failure into an
 * {@link ImageRejectedException}. Plain JPEGs go to {@link NativeJpeg} when it is installed,
 * everything else (and anything it declines) to ImageIO. A fresh ImageReader per call keeps it
 * thread-safe.
 */
final class ImageDecoder {

  /** The first frame as stored, its full stored size, and its EXIF orientation. */
  record Decoded(BufferedImage image, int storedWidth, int storedHeight, int orientation) {}

  private final long maxPixels;
  private final ImageReaders readers;
  private final NativeJpeg nativeJpeg;

  /**
   * @param useNativeJpeg whether to use TurboJPEG for plain JPEGs when it is installed
   */
  ImageDecoder(long maxPixels, boolean useNativeJpeg) {
    this.maxPixels = maxPixels;
    this.readers = new ImageReaders();
    this.nativeJpeg = useNativeJpeg ? NativeJpeg.shared().orElse(null) : null;
  }

  boolean usesNativeJpeg() {
    return nativeJpeg != null;
  }

  Decoded decode(byte[] bytes, ImageFormat format, int targetWidth, int targetHeight) {
    requireComplete(format, bytes);
    int orientation;
    boolean colourManaged = false;
    if (format == ImageFormat.JPEG) {
      JpegSegments segments = JpegSegments.read(bytes);
      orientation = segments.orientation();
      colourManaged = segments.needsColourManagement();
    } else {
      orientation = Orientation.read(format, bytes);
    }
    boolean swap = Orientation.swapsAxes(orientation);
    int storedTargetWidth = swap ? targetHeight : targetWidth;
    int storedTargetHeight = swap ? targetWidth : targetHeight;
    if (format == ImageFormat.JPEG && nativeJpeg != null && !colourManaged) {
      NativeJpeg.Result fast =
          nativeJpeg.decode(bytes, storedTargetWidth, storedTargetHeight, maxPixels);
      if (fast != null) {
        return new Decoded(fast.image(), fast.storedWidth(), fast.storedHeight(), orientation);
      }
    }
    ImageReader reader = readers.newReader(format);
    DecodeWarnings warnings = new DecodeWarnings();
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      reader.setInput(in, true, false);
      reader.addIIOReadWarningListener(warnings);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw new ImageRejectedException(
            Reason.CORRUPT, format.formatName() + " image has no pixels");
      }
      if ((long) width * height > maxPixels) {
        throw new ImageRejectedException(
            Reason.TOO_MANY_PIXELS,
            "image of "
                + width
                + "x"
                + height
                + " pixels is over the limit of "
                + maxPixels
                + " pixels");
      }
      // Each axis on its own: the resize squashes anyway, and a 300 x 100 000 strip then costs no
      // more memory
      // than a 300 x 300 image.
      int xFactor = subsampling(width, storedTargetWidth);
      int yFactor = subsampling(height, storedTargetHeight);
      ImageReadParam param = reader.getDefaultReadParam();
      if (xFactor > 1 || yFactor > 1) {
        param.setSourceSubsampling(xFactor, yFactor, 0, 0);
      }
      BufferedImage image = reader.read(0, param);
      warnings.throwIfCorrupt(format);
      if (format == ImageFormat.PNG) {
        image = PngColorProfile.tagged(reader, image);
      }
      return new Decoded(image, width, height, orientation);
    } catch (ImageRejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Readers signal bad data with IIOException, EOFException and, on hostile input, with
      // arbitrary
      // runtime exceptions (index, negative size, illegal argument): all of them mean the bytes are
      // bad.
      throw new ImageRejectedException(
          Reason.CORRUPT, format.formatName() + " image is corrupt or truncated", e);
    } catch (OutOfMemoryError e) {
      // Only a single oversized allocation requested by a forged length field gets here (the pixel
      // count is
      // already bounded); it failed without filling the heap, so refusing the image is safe.
      throw new ImageRejectedException(
          Reason.CORRUPT, format.formatName() + " image declares impossible sizes");
    } finally {
      reader.dispose();
    }
  }

  /**
   * The WebP lossless decoder reads past the end of a cut-off bitstream as zero bits and returns a
   * plausible image, so truncation is detected from the RIFF container, which states its own length
   * up front.
   */
  private static void requireComplete(ImageFormat format, byte[] bytes) {
    if (format == ImageFormat.WEBP) {
      long declared =
          (bytes[4] & 0xFFL)
              | (bytes[5] & 0xFFL) << 8
              | (bytes[6] & 0xFFL) << 16
              | (bytes[7] & 0xFFL) << 24;
      if (declared + 8 > bytes.length) {
        throw new ImageRejectedException(
            Reason.CORRUPT,
            "webp image is truncated: RIFF declares "
                + (declared + 8)
                + " bytes, got "
                + bytes.length);
      }
    }
  }

  /**
   * The largest integer factor that keeps the subsampled side at or above the target, so the resize
   * filter still only ever shrinks. Bounds the decoded image's memory whatever the stored size.
   */
  static int subsampling(int side, int targetSide) {
    return Math.max(1, side / targetSide);
  }
}
