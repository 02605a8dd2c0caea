package dev.classifier.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns an upload into a (possibly reduced-resolution) BufferedImage in two steps. {@link #plan}
 * sniffs the format and runs its structure scan, which refuses what the limits forbid and removes
 * what no decoder needs, then chooses the decode path and estimates what it will allocate; nothing
 * is decoded yet, so the caller can reserve the estimate first. {@link #decode} then runs the
 * decoder: plain JPEGs go to {@link NativeJpeg} when it is installed, everything else (and anything
 * it declines) to ImageIO, reading only what the scan kept, within the decode time limit. Every
 * decoder failure becomes an {@link ImageRejectedException}. A fresh ImageReader per call keeps it
 * thread-safe.
 */
final class ImageDecoder {

  /** The first frame as stored, its full stored size, and its EXIF orientation. */
  record Decoded(BufferedImage image, int storedWidth, int storedHeight, int orientation) {}

  /**
   * A scanned upload, ready to decode.
   *
   * @param decodeWidth the width, as displayed, that the decode must not go below: the tensor's
   * @param xFactor ImageIO source subsampling across
   * @param yFactor ImageIO source subsampling down
   * @param nativeEighths TurboJPEG's DCT scale in eighths ({@link NativeJpeg#eighths}) if the fast
   *     path will be tried, 0 if not
   * @param estimatedBytes upper bound of what the decode and the preprocessing after it allocate
   */
  record Plan(
      Scan scan,
      int decodeWidth,
      int decodeHeight,
      int xFactor,
      int yFactor,
      int nativeEighths,
      long estimatedBytes) {

    /** For refusals: "decoding a 4000x3000 progressive jpeg". */
    String purpose() {
      JpegHeader jpeg = scan.jpeg();
      return "decoding a "
          + scan.width()
          + "x"
          + scan.height()
          + (jpeg != null && jpeg.progressive() ? " progressive " : " ")
          + scan.format().formatName();
    }
  }

  private final ImageLimits limits;
  private final ImageReaders readers;
  private final NativeJpeg nativeJpeg;

  /**
   * @param useNativeJpeg whether to use TurboJPEG for plain JPEGs when it is installed
   */
  ImageDecoder(ImageLimits limits, boolean useNativeJpeg) {
    this.limits = limits;
    this.readers = new ImageReaders();
    this.nativeJpeg = useNativeJpeg ? NativeJpeg.shared(limits.turboJpegJar()).orElse(null) : null;
  }

  boolean usesNativeJpeg() {
    return nativeJpeg != null;
  }

  /**
   * Sniffs and scans the upload and estimates its decode.
   *
   * @param targetWidth the tensor's width, as displayed (after orientation)
   * @param previewMaxSide the long side of the preview to be built from the same decode, 0 for
   *     none; it adds to the estimate, never to the decode's size
   * @throws ImageRejectedException when the bytes are not an image within the limits
   */
  Plan plan(EncodedImage image, int targetWidth, int targetHeight, int previewMaxSide) {
    ImageFormat format = ImageFormat.sniff(image);
    Scan scan =
        switch (format) {
          case JPEG -> JpegScanner.scan(image, limits);
          case PNG -> PngScanner.scan(image, limits);
          case GIF -> GifScanner.scan(image, limits);
          case BMP -> BmpScanner.scan(image, limits);
          case WEBP -> WebpScanner.scan(image, limits);
          case TIFF -> TiffScanner.scan(image, limits);
        };
    // The tensor alone decides the subsampling, preview or not, so that an explanation is of the
    // very tensor a classification of the same upload sees; the preview is then at most the decoded
    // size (an image decoded at 1/8 for a 299 x 299 tensor still gives a preview of 500 x 375).
    boolean swap = Orientation.swapsAxes(scan.orientation());
    int storedDecodeWidth = swap ? targetHeight : targetWidth;
    int storedDecodeHeight = swap ? targetWidth : targetHeight;
    // Each axis on its own: the resize squashes anyway, and a 300 x 100 000 strip then costs no
    // more memory than a 300 x 300 image.
    int xFactor = subsampling(scan.width(), storedDecodeWidth);
    int yFactor = subsampling(scan.height(), storedDecodeHeight);
    long decodedWidth = ceilDiv(scan.width(), xFactor);
    long decodedHeight = ceilDiv(scan.height(), yFactor);
    long estimate = scan.footprint().bytes(decodedWidth * decodedHeight);
    int eighths = 0;
    JpegHeader jpeg = scan.jpeg();
    if (nativeJpeg != null
        && jpeg != null
        && !jpeg.segments().needsColourManagement()
        && jpeg.components() != 4) {
      eighths =
          NativeJpeg.eighths(scan.width(), scan.height(), storedDecodeWidth, storedDecodeHeight);
      decodedWidth = Math.max(decodedWidth, NativeJpeg.scaled(scan.width(), eighths));
      decodedHeight = Math.max(decodedHeight, NativeJpeg.scaled(scan.height(), eighths));
      estimate = Math.max(estimate, nativeBytes(scan, image, eighths));
    }
    estimate += preprocessBytes(decodedWidth, targetWidth, targetHeight);
    if (previewMaxSide > 0) {
      estimate +=
          Preview.bytes(scan.width(), scan.height(), decodedWidth, decodedHeight, previewMaxSide);
    }
    return new Plan(scan, targetWidth, targetHeight, xFactor, yFactor, eighths, estimate);
  }

  /**
   * TurboJPEG: a copy of the upload when it does not start at index 0, libjpeg's whole-image
   * coefficient buffer for multi-scan JPEGs and its row buffers (native), the scaled 3-byte image.
   */
  private static long nativeBytes(Scan scan, EncodedImage image, int eighths) {
    JpegHeader jpeg = scan.jpeg();
    long copy = image.offset() == 0 ? 0 : image.length();
    long coefficients = jpeg.multiScan() ? jpeg.coefficientBytes() : 0;
    long rows = 64L * scan.width() * jpeg.components();
    long scaled =
        3L * NativeJpeg.scaled(scan.width(), eighths) * NativeJpeg.scaled(scan.height(), eighths);
    return 256 * 1024 + copy + coefficients + rows + scaled;
  }

  /**
   * What the resize and normalisation after decoding allocate: row buffers of the decoded width and
   * a few target-sized float planes (the tensor among them).
   */
  private static long preprocessBytes(long decodedWidth, int targetWidth, int targetHeight) {
    return 64 * 1024 + 64 * decodedWidth + 3L * 4 * 3 * targetWidth * targetHeight;
  }

  /** Decodes what {@link #plan} scanned. */
  Decoded decode(Plan plan, EncodedImage image) {
    Scan scan = plan.scan();
    if (plan.nativeEighths() != 0) {
      byte[] bytes =
          image.offset() == 0
              ? image.bytes()
              : Arrays.copyOfRange(image.bytes(), image.offset(), image.end());
      boolean swap = Orientation.swapsAxes(scan.orientation());
      NativeJpeg.Result fast =
          nativeJpeg.decode(
              bytes,
              image.length(),
              scan.width(),
              scan.height(),
              swap ? plan.decodeHeight() : plan.decodeWidth(),
              swap ? plan.decodeWidth() : plan.decodeHeight());
      if (fast != null) {
        return new Decoded(
            fast.image(), fast.storedWidth(), fast.storedHeight(), scan.orientation());
      }
    }
    return decodeWithImageIo(plan);
  }

  private Decoded decodeWithImageIo(Plan plan) {
    Scan scan = plan.scan();
    ImageFormat format = scan.format();
    ImageReader reader = readers.newReader(format);
    DecodeWarnings warnings = new DecodeWarnings();
    DecodeDeadline deadline = new DecodeDeadline(limits.maxDecodeTime());
    try (ImageInputStream in = scan.pieces().open(deadline)) {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener(warnings);
      reader.addIIOReadProgressListener(deadline);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width != scan.width() || height != scan.height()) {
        throw ImageRejectedException.corrupt(
            format,
            String.format(
                Locale.ROOT,
                "declares %dx%d in its header but decodes as %dx%d",
                scan.width(),
                scan.height(),
                width,
                height));
      }
      ImageReadParam param = reader.getDefaultReadParam();
      if (plan.xFactor() > 1 || plan.yFactor() > 1) {
        param.setSourceSubsampling(plan.xFactor(), plan.yFactor(), 0, 0);
      }
      JpegHeader jpeg = scan.jpeg();
      if (jpeg != null && jpeg.multiScan() && jpeg.scans() > 1) {
        // The JDK's reader renders the whole image once per scan of a multi-scan JPEG unless told
        // which passes are wanted: only the last, which holds every scan's data.
        param.setSourceProgressivePasses(jpeg.scans() - 1, 1);
      }
      BufferedImage image = reader.read(0, param);
      deadline.throwIfExpired(format);
      warnings.throwIfCorrupt(format);
      if (format == ImageFormat.PNG) {
        image = PngColorProfile.tagged(image, scan.iccProfile());
      }
      return new Decoded(image, width, height, scan.orientation());
    } catch (ImageRejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      deadline.throwIfExpired(format);
      // Readers signal bad data with IIOException, EOFException and, on hostile input, with
      // arbitrary runtime exceptions (index, negative size, illegal argument): all of them mean
      // the bytes are bad. The scan has bounded every size the reader allocates by, so there is
      // no OutOfMemoryError to expect here, and none is caught.
      throw ImageRejectedException.corrupt(format, "is corrupt or truncated", e);
    } finally {
      reader.dispose();
    }
  }

  /**
   * The largest integer factor that keeps the subsampled side at or above the target, so the resize
   * filter still only ever shrinks. Bounds the decoded image's memory whatever the stored size.
   */
  static int subsampling(int side, int targetSide) {
    return Math.max(1, side / targetSide);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
