package dev.classifier.image;

/**
 * The image package's one public door: bytes in, a normalised tensor of the model's input size out.
 * Thread-safe; called concurrently from request threads.
 *
 * <p>Pipeline: sniff the format from magic bytes; read width and height from the header and refuse
 * oversized images before decoding; decode the first frame with ImageIO (TwelveMonkeys plugins for
 * JPEG, WebP, TIFF), subsampled on each axis by the largest integer factor that keeps that side at
 * or above the target; convert to sRGB, expand grey, composite alpha over white; resize with area
 * averaging (see {@link Resampler}); apply the EXIF orientation; scale to x / 127.5 − 1 in R, G, B
 * order.
 *
 * <p>The resize squashes to exactly {@code width x height} without keeping the aspect ratio or
 * cropping: that is what Keras' {@code load_img(target_size=(299, 299))} does, and Xception's
 * ImageNet weights were evaluated with it, so a centre crop would show the model a different
 * picture than its reference pipeline.
 *
 * <p>Where libjpeg-turbo's Java binding is installed (Debian {@code libturbojpeg-java}), plain
 * JPEGs are decoded by it instead, at a DCT scale of 1/2, 1/4 or 1/8 chosen by the same rule; see
 * {@link NativeJpeg}.
 *
 * <p>ImageIO's source subsampling is point sampling (it drops rows and columns), so on large images
 * some aliasing survives into the area average; that is the price of not holding 12 megapixels in
 * memory per request. The TurboJPEG path has no such loss: its DCT scaling averages.
 */
public final class ImagePreprocessor {

  private final ImageDecoder decoder;

  /**
   * @param maxPixels the largest width × height accepted, checked from the header before decoding
   */
  public ImagePreprocessor(long maxPixels) {
    this(maxPixels, true);
  }

  /**
   * @param useNativeJpeg false forces the pure-ImageIO path even where TurboJPEG is installed
   *     (tests, bench)
   */
  ImagePreprocessor(long maxPixels, boolean useNativeJpeg) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
    }
    this.decoder = new ImageDecoder(maxPixels, useNativeJpeg);
  }

  boolean usesNativeJpeg() {
    return decoder.usesNativeJpeg();
  }

  /**
   * Sniffs the format, decodes (at reduced resolution where the format allows, never below the
   * target size), applies EXIF orientation, converts to sRGB RGB (alpha composited over white),
   * resizes to {@code width × height} and scales each channel to x / 127.5 − 1.
   *
   * @throws ImageRejectedException when the bytes are not a decodable image within the limits
   */
  public PreparedImage prepare(byte[] bytes, int width, int height, TensorLayout layout) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
    }
    long started = System.nanoTime();
    ImageFormat format = ImageFormat.sniff(bytes);
    ImageDecoder.Decoded decoded = decoder.decode(bytes, format, width, height);
    SrgbRows rows = new SrgbRows(decoded.image());
    long decodedAt = System.nanoTime();

    int orientation = decoded.orientation();
    boolean swap = Orientation.swapsAxes(orientation);
    int storedTargetWidth = swap ? height : width;
    int storedTargetHeight = swap ? width : height;
    float[] resized = Resampler.resize(rows, storedTargetWidth, storedTargetHeight);
    float[] pixels =
        TensorWriter.write(
            resized, storedTargetWidth, storedTargetHeight, orientation, width, height, layout);
    long finished = System.nanoTime();

    ImageInfo info =
        swap
            ? new ImageInfo(format.formatName(), decoded.storedHeight(), decoded.storedWidth())
            : new ImageInfo(format.formatName(), decoded.storedWidth(), decoded.storedHeight());
    return new PreparedImage(info, pixels, decodedAt - started, finished - decodedAt);
  }
}
