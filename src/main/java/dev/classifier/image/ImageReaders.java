package dev.classifier.image;

import dev.classifier.image.ImageRejectedException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * The ImageIO reader provider for each format, chosen once: TwelveMonkeys readers (CMYK/YCCK JPEG,
 * ICC handling, more TIFF variants, WebP) are preferred over the JDK's where both exist, so the
 * choice does not depend on registration order. Providers are stateless and shared; readers are
 * created per image.
 */
final class ImageReaders {

  private final Map<ImageFormat, ImageReaderSpi> providers = findProviders();

  ImageReader newReader(ImageFormat format) {
    ImageReaderSpi spi = providers.get(format);
    if (spi == null) {
      throw new ImageRejectedException(
          Reason.UNSUPPORTED_FORMAT, "no decoder for " + format.formatName());
    }
    try {
      return spi.createReaderInstance();
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + format.formatName() + " reader", e);
    }
  }

  private static Map<ImageFormat, ImageReaderSpi> findProviders() {
    Map<ImageFormat, ImageReaderSpi> found = new EnumMap<>(ImageFormat.class);
    for (ImageFormat format : ImageFormat.values()) {
      List<ImageReaderSpi> firstLook = readersFor(format);
      if (firstLook.isEmpty()) {
        // The registry is filled from the context class loader at first use; scan again in case
        // that was a
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
    Iterator<ImageReaderSpi> it =
        IIORegistry.getDefaultInstance()
            .getServiceProviders(
                ImageReaderSpi.class,
                spi ->
                    List.of(((ImageReaderSpi) spi).getFormatNames()).stream()
                        .anyMatch(n -> n.equalsIgnoreCase(format.formatName())),
                true);
    it.forEachRemaining(result::add);
    return result;
  }
}
