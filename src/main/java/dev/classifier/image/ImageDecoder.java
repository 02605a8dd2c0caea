package dev.classifier.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.classifier.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns sniffed bytes into a (possibly subsampled) BufferedImage with ImageIO, refusing oversized images from
 * their header before any pixel is decoded and translating every reader failure into an
 * {@link ImageRejectedException}. A fresh ImageReader per call keeps it thread-safe (readers are stateful).
 */
final class ImageDecoder {

  /** The first frame as stored, its full stored size, and its EXIF orientation. */
  record Decoded(BufferedImage image, int storedWidth, int storedHeight, int orientation) {}

  private final long maxPixels;
  private final Map<ImageFormat, ImageReaderSpi> providers;

  ImageDecoder(long maxPixels) {
    this.maxPixels = maxPixels;
    this.providers = findProviders();
  }

  Decoded decode(byte[] bytes, ImageFormat format, int targetWidth, int targetHeight) {
    requireComplete(format, bytes);
    int orientation = Orientation.read(format, bytes);
    ImageReader reader = newReader(format);
    WarningCollector warnings = new WarningCollector();
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      reader.setInput(in, true, false);
      reader.addIIOReadWarningListener(warnings);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw new ImageRejectedException(Reason.CORRUPT, format.formatName() + " image has no pixels");
      }
      if ((long) width * height > maxPixels) {
        throw new ImageRejectedException(Reason.TOO_MANY_PIXELS, "image of " + width + "x" + height
            + " pixels is over the limit of " + maxPixels + " pixels");
      }
      boolean swap = Orientation.swapsAxes(orientation);
      int factor = subsampling(width, height, swap ? targetHeight : targetWidth,
          swap ? targetWidth : targetHeight);
      ImageReadParam param = reader.getDefaultReadParam();
      if (factor > 1) {
        param.setSourceSubsampling(factor, factor, 0, 0);
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
      // Readers signal bad data with IIOException, EOFException and, on hostile input, with arbitrary
      // runtime exceptions (index, negative size, illegal argument): all of them mean the bytes are bad.
      throw new ImageRejectedException(Reason.CORRUPT, format.formatName() + " image is corrupt or truncated", e);
    } catch (OutOfMemoryError e) {
      // Only a single oversized allocation requested by a forged length field gets here (the pixel count is
      // already bounded); it failed without filling the heap, so refusing the image is safe.
      throw new ImageRejectedException(Reason.CORRUPT, format.formatName() + " image declares impossible sizes");
    } finally {
      reader.dispose();
    }
  }

  /**
   * The WebP lossless decoder reads past the end of a cut-off bitstream as zero bits and returns a plausible
   * image, so truncation is detected from the RIFF container, which states its own length up front.
   */
  private static void requireComplete(ImageFormat format, byte[] bytes) {
    if (format == ImageFormat.WEBP) {
      long declared = (bytes[4] & 0xFFL) | (bytes[5] & 0xFFL) << 8 | (bytes[6] & 0xFFL) << 16
          | (bytes[7] & 0xFFL) << 24;
      if (declared + 8 > bytes.length) {
        throw new ImageRejectedException(Reason.CORRUPT, "webp image is truncated: RIFF declares " + (declared + 8)
            + " bytes, got " + bytes.length);
      }
    }
  }

  /**
   * The largest integer factor that keeps both subsampled dimensions at or above the target, so the resize
   * filter still only ever shrinks. Bounds the decoded image's memory whatever the stored size.
   */
  static int subsampling(int width, int height, int targetWidth, int targetHeight) {
    return Math.max(1, Math.min(width / targetWidth, height / targetHeight));
  }

  private ImageReader newReader(ImageFormat format) {
    ImageReaderSpi spi = providers.get(format);
    if (spi == null) {
      throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "no decoder for " + format.formatName());
    }
    try {
      return spi.createReaderInstance();
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + format.formatName() + " reader", e);
    }
  }

  /** Prefers TwelveMonkeys readers (CMYK/YCCK JPEG, ICC handling, more TIFF variants) over the JDK's. */
  private static Map<ImageFormat, ImageReaderSpi> findProviders() {
    Map<ImageFormat, ImageReaderSpi> found = new EnumMap<>(ImageFormat.class);
    for (ImageFormat format : ImageFormat.values()) {
      List<ImageReaderSpi> firstLook = readersFor(format);
      if (firstLook.isEmpty()) {
        // The registry is filled from the context class loader at first use; scan again in case that was a
        // loader that could not see the plugin jars.
        ImageIO.scanForPlugins();
      }
      List<ImageReaderSpi> candidates = firstLook.isEmpty() ? readersFor(format) : firstLook;
      candidates.stream()
          .filter(spi -> spi.getClass().getName().startsWith("com.twelvemonkeys."))
          .findFirst()
          .or(() -> candidates.stream().findFirst())
          .ifPresent(spi -> found.put(format, spi));
    }
    return found;
  }

  private static List<ImageReaderSpi> readersFor(ImageFormat format) {
    List<ImageReaderSpi> result = new ArrayList<>();
    Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
        spi -> List.of(((ImageReaderSpi) spi).getFormatNames()).stream()
            .anyMatch(n -> n.equalsIgnoreCase(format.formatName())),
        true);
    it.forEachRemaining(result::add);
    return result;
  }

  /**
   * Decoders report truncated or garbled entropy-coded data as a warning and fill the rest with grey; such an
   * image must be refused, not classified. Warnings about harmless quirks (stray bytes between markers,
   * ignored metadata) are tolerated because real cameras and editors produce them.
   */
  private static final class WarningCollector implements IIOReadWarningListener {
    private String fatal;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      String w = warning == null ? "" : warning.toLowerCase(java.util.Locale.ROOT);
      boolean corrupt = w.contains("premature end") || w.contains("truncat")
          || (w.contains("corrupt") && !w.contains("extraneous bytes"));
      if (corrupt && fatal == null) {
        fatal = warning;
      }
    }

    void throwIfCorrupt(ImageFormat format) {
      if (fatal != null) {
        throw new ImageRejectedException(Reason.CORRUPT, format.formatName() + " image is corrupt: " + fatal);
      }
    }
  }
}
