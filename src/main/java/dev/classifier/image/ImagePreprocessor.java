package dev.classifier.image;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The image package's one public door: bytes in, a normalised tensor of the model's input size out.
 * Thread-safe; called concurrently from request threads.
 *
 * <p>Pipeline: sniff the format from magic bytes; scan the file's structure, which refuses what
 * {@link ImageLimits} forbids (pixels, scans, chunk counts, lengths past the end) and keeps
 * metadata the decoder must not read (text, EXIF, XMP, oversized profiles) away from it; reserve
 * the decode's estimated memory from the {@link MemoryBudget}; decode the first frame with ImageIO
 * (TwelveMonkeys plugins for JPEG, WebP, TIFF), subsampled on each axis by the largest integer
 * factor that keeps that side at or above the target; convert to sRGB, expand grey, composite alpha
 * over white; resize with area averaging (see {@link Resampler}); apply the EXIF orientation; scale
 * as the model's {@link Normalization} says. One pass over the decoded rows feeds both the tensor
 * and, when asked for, an upright preview of the picture at its own aspect ratio.
 *
 * <p>The resize squashes to exactly {@code width x height} without keeping the aspect ratio or
 * cropping: that is what Keras' {@code load_img(target_size=(299, 299))} does, and Xception's
 * ImageNet weights were evaluated with it, so a centre crop would show the model a different
 * picture than its reference pipeline.
 *
 * <p>Where libjpeg-turbo's Java binding is installed (Debian {@code libturbojpeg-java}), plain
 * JPEGs are decoded by it instead, at the smallest DCT scale of 1/8 ... 8/8 that keeps both sides
 * at or above the target (a 640x480 photo at 5/8, 400x300); see {@link NativeJpeg#eighths}.
 *
 * <p>ImageIO's source subsampling is point sampling (it drops rows and columns), so on large images
 * some aliasing survives into the area average; that is the price of not holding 12 megapixels in
 * memory per request. The TurboJPEG path has no such loss: its DCT scaling averages.
 */
public final class ImagePreprocessor {

  private final ImageDecoder decoder;
  private final MemoryBudget budget;
  private final ObservationRegistry observations;

  /**
   * @param limits what one image may cost, checked from its structure before decoding
   * @param budget the memory requests share: each decode reserves its estimate here before it
   *     allocates anything and gives it back when its pixels are no longer needed
   */
  public ImagePreprocessor(ImageLimits limits, MemoryBudget budget) {
    this(limits, budget, true, ObservationRegistry.NOOP);
  }

  /**
   * @param observations where decode and preprocess are observed, each a child of the observation
   *     current on the calling thread (the request's trace)
   */
  public ImagePreprocessor(
      ImageLimits limits, MemoryBudget budget, ObservationRegistry observations) {
    this(limits, budget, true, observations);
  }

  /**
   * @param useNativeJpeg false forces the pure-ImageIO path even where TurboJPEG is installed
   *     (tests, bench)
   */
  ImagePreprocessor(ImageLimits limits, MemoryBudget budget, boolean useNativeJpeg) {
    this(limits, budget, useNativeJpeg, ObservationRegistry.NOOP);
  }

  private ImagePreprocessor(
      ImageLimits limits,
      MemoryBudget budget,
      boolean useNativeJpeg,
      ObservationRegistry observations) {
    this.decoder = new ImageDecoder(limits, useNativeJpeg);
    this.budget = Objects.requireNonNull(budget, "budget");
    this.observations = observations;
  }

  boolean usesNativeJpeg() {
    return decoder.usesNativeJpeg();
  }

  /**
   * Sniffs the format, decodes (at reduced resolution where the format allows, never below the
   * input size), applies EXIF orientation, converts to sRGB RGB (alpha composited over white),
   * resizes to the input size and scales each channel as {@code spec.normalization()} says.
   *
   * @throws ImageRejectedException when the bytes are not a decodable image within the limits,
   *     including one whose decode could never fit in the whole memory budget (TOO_MANY_PIXELS)
   * @throws MemoryBudgetExceededException when the decode does not fit in what is left of the
   *     budget right now: the service is busy, the client may retry
   */
  public PreparedImage prepare(EncodedImage image, InputSpec spec) {
    return prepare(image, spec, 0);
  }

  /**
   * {@link #prepare(EncodedImage, InputSpec)}, plus, when {@code previewMaxSide > 0}, the upright
   * sRGB picture at most {@code previewMaxSide} on its long side (see {@link
   * PreparedImage#preview()}), from the same decode. The tensor alone decides that decode, so the
   * tensor is the same with or without a preview; where the decode is smaller than the preview (a
   * large upload decoded at reduced resolution), the preview is enlarged from it.
   */
  public PreparedImage prepare(EncodedImage image, InputSpec spec, int previewMaxSide) {
    if (previewMaxSide < 0) {
      throw new IllegalArgumentException("previewMaxSide must not be negative: " + previewMaxSide);
    }
    long started = System.nanoTime();
    ImageDecoder.Plan plan = decoder.plan(image, spec.width(), spec.height(), previewMaxSide);
    if (plan.estimatedBytes() > budget.capacity()) {
      throw new ImageRejectedException(
          ImageRejectedException.Reason.TOO_MANY_PIXELS,
          String.format(
              Locale.ROOT,
              "%s needs about %.1f MiB of memory, more than the whole decode memory limit of %.1f"
                  + " MiB (classifier.memory.budget)",
              plan.purpose(),
              plan.estimatedBytes() / 1048576.0,
              budget.capacity() / 1048576.0));
    }
    // Held until the decoded pixels are resized: the decode and the resize allocate within it.
    try (MemoryBudget.Reservation reservation =
        budget.reserve(plan.estimatedBytes(), plan.purpose())) {
      return prepare(plan, image, spec, previewMaxSide, started);
    }
  }

  /** {@link #prepare(EncodedImage, InputSpec)} of a whole array. */
  public PreparedImage prepare(byte[] bytes, InputSpec spec) {
    return prepare(EncodedImage.of(bytes), spec);
  }

  /** {@link #prepare(EncodedImage, InputSpec, int)} of a whole array. */
  public PreparedImage prepare(byte[] bytes, InputSpec spec, int previewMaxSide) {
    return prepare(EncodedImage.of(bytes), spec, previewMaxSide);
  }

  private PreparedImage prepare(
      ImageDecoder.Plan plan,
      EncodedImage image,
      InputSpec spec,
      int previewMaxSide,
      long started) {
    ImageFormat format = plan.scan().format();
    ImageDecoder.Decoded decoded = stage("decode").observe(() -> decoder.decode(plan, image));
    long decodedAt = System.nanoTime();
    return stage("preprocess")
        .observe(() -> resize(decoded, format, spec, previewMaxSide, started, decodedAt));
  }

  /** A child of the calling thread's observation; names share the service's span prefix. */
  private Observation stage(String name) {
    return Observation.createNotStarted("classifier.span." + name, observations)
        .contextualName(name);
  }

  private static PreparedImage resize(
      ImageDecoder.Decoded decoded,
      ImageFormat format,
      InputSpec spec,
      int previewMaxSide,
      long started,
      long decodedAt) {
    SrgbRows rows = new SrgbRows(decoded.image());

    int orientation = decoded.orientation();
    TensorWriter tensor =
        new TensorWriter(
            orientation, spec.width(), spec.height(), spec.layout(), spec.normalization());
    Resampler toTensor =
        new Resampler(
            rows.width(), rows.height(), tensor.storedWidth(), tensor.storedHeight(), tensor);
    Optional<BufferedImage> preview;
    if (previewMaxSide > 0) {
      Preview picture = Preview.of(decoded, previewMaxSide);
      Resampler.resize(rows, toTensor, picture.resampler(rows));
      preview = Optional.of(picture.image());
    } else {
      Resampler.resize(rows, toTensor);
      preview = Optional.empty();
    }
    long finished = System.nanoTime();

    ImageInfo info =
        Orientation.swapsAxes(orientation)
            ? new ImageInfo(format.formatName(), decoded.storedHeight(), decoded.storedWidth())
            : new ImageInfo(format.formatName(), decoded.storedWidth(), decoded.storedHeight());
    return new PreparedImage(
        info, tensor.tensor(), preview, decodedAt - started, finished - decodedAt);
  }
}
