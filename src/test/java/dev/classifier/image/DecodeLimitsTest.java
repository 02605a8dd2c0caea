package dev.classifier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.image.ImageRejectedException.Reason;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decode time limit, the memory budget reservation around each decode, and uploads given as
 * slices of a larger array.
 */
class DecodeLimitsTest {

  private static final int SIZE = 299;

  @ParameterizedTest
  @ValueSource(strings = {"png", "bmp", "gif", "tiff", "jpeg"})
  void aDecodeOverItsCpuTimeLimitIsAbortedAndRefused(String format) {
    byte[] bytes = TestImages.encode(TestImages.noise(1200, 1000, 5), format);
    // A nanosecond is spent before the reader first reports progress: the abort is certain.
    ImageLimits limits = ImageLimits.defaults().withMaxDecodeTime(Duration.ofNanos(1));
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(limits, new MemoryBudget(256L << 20), false);
    assertThatThrownBy(
            () ->
                preprocessor.prepare(
                    bytes, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF)))
        .isInstanceOfSatisfying(
            ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
        .hasMessage(
            format
                + " image took longer than 0 ms of CPU time to decode"
                + " (classifier.image.max-decode-time)");
  }

  @Test
  void aDecodeWithinItsTimeLimitIsNotAffected() {
    byte[] bytes = TestImages.encode(TestImages.noise(1200, 1000, 5), "png");
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(ImageLimits.defaults(), new MemoryBudget(256L << 20), false);
    assertThat(
            preprocessor
                .prepare(bytes, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF))
                .info())
        .isEqualTo(new ImageInfo("png", 1200, 1000));
  }

  @Test
  void theEstimateIsReservedDuringTheDecodeAndReleasedAfterwards() {
    MemoryBudget budget = new MemoryBudget(256L << 20);
    ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), budget, false);
    byte[] png = TestImages.encode(TestImages.noise(600, 400, 1), "png");
    preprocessor.prepare(png, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF));
    assertThat(budget.used()).isZero();
    byte[] corrupt = java.util.Arrays.copyOf(png, png.length / 2);
    assertThatThrownBy(
            () ->
                preprocessor.prepare(
                    corrupt, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF)))
        .isInstanceOf(ImageRejectedException.class);
    assertThat(budget.used()).isZero();
  }

  @Test
  void aDecodeThatDoesNotFitWhatIsLeftFailsWithTheBudgetExceptionBeforeDecoding() {
    byte[] png = TestImages.encode(TestImages.noise(600, 400, 1), "png");
    long estimate =
        new ImageDecoder(ImageLimits.defaults(), false)
            .plan(EncodedImage.of(png), SIZE, SIZE, 0)
            .estimatedBytes();
    MemoryBudget budget = new MemoryBudget(estimate + 1000);
    ImagePreprocessor preprocessor = new ImagePreprocessor(ImageLimits.defaults(), budget, false);
    try (MemoryBudget.Reservation other = budget.reserve(2000, "another request")) {
      assertThatThrownBy(
              () ->
                  preprocessor.prepare(
                      png, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF)))
          .isInstanceOfSatisfying(
              MemoryBudgetExceededException.class,
              e -> {
                assertThat(e.requested()).isEqualTo(estimate);
                assertThat(e.available()).isEqualTo(estimate - 1000);
              })
          .hasMessageStartingWith("decoding a 600x400 png needs");
      assertThat(budget.used()).isEqualTo(2000);
    }
    assertThat(
            preprocessor
                .prepare(png, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF))
                .info())
        .isEqualTo(new ImageInfo("png", 600, 400));
  }

  @Test
  void aDecodeThatCouldNeverFitTheWholeBudgetIsRefusedAsTooLarge() {
    byte[] jpeg = SyntheticJpegs.grey(8000, 6250, SyntheticJpegs.fullRefinement(0));
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(ImageLimits.defaults(), new MemoryBudget(64L << 20), false);
    assertThatThrownBy(
            () ->
                preprocessor.prepare(
                    jpeg, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF)))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS))
        .hasMessageMatching(
            "decoding a 8000x6250 progressive jpeg needs about \\d+\\.\\d MiB of memory, more"
                + " than the whole decode memory limit of 64\\.0 MiB \\(classifier.memory.budget\\)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "bmp", "gif", "tiff", "jpeg", "lossy.webp", "progressive.jpg"})
  void aSliceOfALargerArrayDecodesLikeTheSameBytesAlone(String name) {
    byte[] alone =
        name.contains(".")
            ? TestImages.fixture(name)
            : TestImages.encode(TestImages.noise(120, 90, 9), name);
    byte[] body = new byte[alone.length + 300];
    java.util.Arrays.fill(body, (byte) 0xFF);
    System.arraycopy(alone, 0, body, 100, alone.length);
    EncodedImage slice = new EncodedImage(body, 100, alone.length);
    for (boolean useNative : new boolean[] {false, true}) {
      ImagePreprocessor preprocessor =
          new ImagePreprocessor(ImageLimits.defaults(), new MemoryBudget(256L << 20), useNative);
      PreparedImage expected =
          preprocessor.prepare(
              alone, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF));
      PreparedImage actual =
          preprocessor.prepare(
              slice, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF));
      assertThat(actual.info()).isEqualTo(expected.info());
      assertThat(actual.pixels()).isEqualTo(expected.pixels());
    }
  }

  @Test
  void aJpegSliceNotAtIndexZeroCountsTheCopyTurboJpegNeeds() {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults(), true);
    org.junit.jupiter.api.Assumptions.assumeTrue(decoder.usesNativeJpeg());
    // A wide strip: its height keeps the native decode at full size (8/8), while ImageIO subsamples
    // its width by 6, so the native path's estimate is the larger one.
    byte[] jpeg = TestImages.encode(TestImages.noise(2000, 300, 9), "jpeg");
    byte[] body = new byte[jpeg.length + 10];
    System.arraycopy(jpeg, 0, body, 10, jpeg.length);
    long atZero = decoder.plan(EncodedImage.of(jpeg), SIZE, SIZE, 0).estimatedBytes();
    long shifted =
        decoder.plan(new EncodedImage(body, 10, jpeg.length), SIZE, SIZE, 0).estimatedBytes();
    assertThat(shifted - atZero).isEqualTo(jpeg.length);
  }

  @Test
  void limitsAreValidated() {
    ImageLimits d = ImageLimits.defaults();
    assertThatThrownBy(() -> d.withMaxPixels(0)).hasMessage("maxPixels must be positive: 0");
    assertThatThrownBy(() -> d.withMaxDecodeTime(Duration.ZERO))
        .hasMessage("maxDecodeTime must be positive: PT0S");
    assertThatThrownBy(() -> new EncodedImage(new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
