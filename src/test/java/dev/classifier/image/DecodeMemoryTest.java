package dev.classifier.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decode estimate that prepare() reserves from the memory budget is an upper bound of what
 * decoding and preprocessing allocate on the heap, measured with the thread's allocation counter,
 * for images at the pixel limit of every format and both JPEG paths. (The native part, libjpeg's
 * coefficient buffer, is checked by NativeMemoryBench: heap counters cannot see it.)
 */
@Timeout(300)
class DecodeMemoryTest {

  /** 4 MP: at-limit images big enough that the destination and row buffers dominate. */
  private static final long LIMIT = 2000L * 2000;

  private static final ImageLimits LIMITS = ImageLimits.defaults().withMaxPixels(LIMIT);

  private static final InputSpec SPEC =
      new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF);

  private static final Map<String, Supplier<byte[]>> IMAGES =
      Map.ofEntries(
          Map.entry("png-rgb", () -> HostileImages.flatPng(2000, 2000, 2, 90)),
          Map.entry("png-rgba", () -> HostileImages.flatPng(2000, 2000, 6, 90)),
          Map.entry("png-palette", () -> HostileImages.flatPng(2000, 2000, 3, 90)),
          Map.entry("png-grey", () -> HostileImages.flatPng(2000, 2000, 0, 90)),
          Map.entry("png-noise-16bit", () -> TestImages.fixture("rgb16.png")),
          Map.entry("png-icc", () -> TestImages.fixture("adobe-rgb.png")),
          Map.entry("jpeg-baseline", () -> jpeg(2000, 2000, false)),
          Map.entry("jpeg-progressive", () -> jpeg(2000, 2000, true)),
          Map.entry(
              "jpeg-progressive-28-scans",
              () -> SyntheticJpegs.grey(2000, 2000, SyntheticJpegs.fullRefinement(13))),
          Map.entry("jpeg-cmyk", () -> TestImages.fixture("cmyk.jpg")),
          Map.entry("jpeg-icc", () -> TestImages.fixture("adobe-rgb.jpg")),
          Map.entry("gif", () -> HostileImages.gif(1000, 1000, new byte[0])),
          Map.entry("bmp", () -> HostileImages.bmp24(2000, 2000, 10, 20, 30)),
          Map.entry("tiff", () -> TiffBuilder.rgb(2000, 2000, 10, 20, 30).build()),
          Map.entry("tiff-lzw", () -> TestImages.encode(TestImages.noise(2000, 2000, 3), "tiff")),
          Map.entry("webp-lossless", () -> HostileImages.zeroBitWebp(2000, 2000)),
          Map.entry("webp-lossy", () -> TestImages.fixture("lossy.webp")));

  private static byte[] jpeg(int width, int height, boolean progressive) {
    BufferedImage image = TestImages.noise(width, height, 11);
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new IIOImage(image, null, null), param);
      }
      writer.dispose();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertEstimateBoundsAllocation(String name, boolean useNative) {
    assertEstimateBoundsAllocation(name, useNative, 0);
  }

  private static void assertEstimateBoundsAllocation(
      String name, boolean useNative, int previewMaxSide) {
    byte[] bytes = IMAGES.get(name).get();
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(LIMITS, new MemoryBudget(Long.MAX_VALUE), useNative);
    if (useNative) {
      Assumptions.assumeTrue(preprocessor.usesNativeJpeg(), "TurboJPEG not installed");
    }
    EncodedImage image = EncodedImage.of(bytes);
    long estimate =
        new ImageDecoder(LIMITS, useNative).plan(image, 299, 299, previewMaxSide).estimatedBytes();
    // Once to load classes and fill caches, whose allocations are not the image's.
    preprocessor.prepare(image, SPEC, previewMaxSide);
    Costs.Measured<PreparedImage> measured =
        Costs.of(() -> preprocessor.prepare(image, SPEC, previewMaxSide));
    assertThat(measured.thrown()).isNull();
    assertThat(measured.allocatedBytes())
        .as(
            "%s (native %s, preview %d): allocated %.1f MiB, estimate %.1f MiB",
            name, useNative, previewMaxSide, measured.allocatedMib(), estimate / 1048576.0)
        .isLessThanOrEqualTo(estimate);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "png-rgb",
        "png-rgba",
        "png-palette",
        "png-grey",
        "png-noise-16bit",
        "png-icc",
        "jpeg-baseline",
        "jpeg-progressive",
        "jpeg-progressive-28-scans",
        "jpeg-cmyk",
        "jpeg-icc",
        "gif",
        "bmp",
        "tiff",
        "tiff-lzw",
        "webp-lossless",
        "webp-lossy"
      })
  void estimateIsAnUpperBoundOfHeapAllocationOnTheImageIoPath(String name) {
    assertEstimateBoundsAllocation(name, false);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"jpeg-baseline", "jpeg-progressive", "jpeg-progressive-28-scans", "jpeg-icc"})
  void estimateIsAnUpperBoundOfHeapAllocationOnTheTurboJpegPath(String name) {
    assertEstimateBoundsAllocation(name, true);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"png-rgb", "png-grey", "jpeg-baseline", "jpeg-progressive", "bmp", "tiff"})
  void estimateWithAPreviewIsAnUpperBoundOfHeapAllocationOnTheImageIoPath(String name) {
    // The preview keeps the decode at 640 or more on both axes, and adds its own picture.
    assertEstimateBoundsAllocation(name, false, 640);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jpeg-baseline", "jpeg-progressive"})
  void estimateWithAPreviewIsAnUpperBoundOfHeapAllocationOnTheTurboJpegPath(String name) {
    assertEstimateBoundsAllocation(name, true, 640);
  }

  @Test
  void estimateWithAPreviewOfAStripCoversTheTallFootprintOfItsFewRows() {
    // 6000x200 into a 640x21 preview: each preview row averages about ten decoded rows, all held
    // filtered at once.
    byte[] strip = HostileImages.bmp24(6000, 200, 10, 20, 30);
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(LIMITS, new MemoryBudget(Long.MAX_VALUE), false);
    long estimate =
        new ImageDecoder(LIMITS, false)
            .plan(EncodedImage.of(strip), 299, 299, 640)
            .estimatedBytes();
    preprocessor.prepare(strip, SPEC, 640);
    Costs.Measured<PreparedImage> measured = Costs.of(() -> preprocessor.prepare(strip, SPEC, 640));
    assertThat(measured.value().preview().orElseThrow().getHeight()).isEqualTo(21);
    assertThat(measured.allocatedBytes()).isLessThanOrEqualTo(estimate);
  }

  @Test
  void twentyMegabyteBmpAtTheDefaultLimitsStaysWithinItsEstimate() {
    // The case: 16 concurrent 20 MB BMPs exhausted the heap. Decoded at 1/8 on each axis.
    byte[] bmp = HostileImages.bmp24(2580, 2580, 10, 20, 30);
    assertThat(bmp.length).isGreaterThan(19_900_000);
    ImageLimits limits = ImageLimits.defaults();
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(limits, new MemoryBudget(Long.MAX_VALUE), false);
    long estimate =
        new ImageDecoder(limits, false).plan(EncodedImage.of(bmp), 299, 299, 0).estimatedBytes();
    preprocessor.prepare(bmp, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF));
    Costs.Measured<PreparedImage> measured =
        Costs.of(
            () ->
                preprocessor.prepare(
                    bmp, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF)));
    assertThat(measured.value().info()).isEqualTo(new ImageInfo("bmp", 2580, 2580));
    assertThat(measured.allocatedBytes()).isLessThanOrEqualTo(estimate);
    // Small enough that a 256 MiB budget admits 40 at once rather than failing 4 of 16.
    assertThat(estimate).isLessThan(6L << 20);
  }

  @Test
  void losslessWebpEstimateCountsEveryPrefixCodeGroupItsMetaImageAsksFor() {
    // 4096 groups (a 256x256 image in 4x4 blocks): about 5 KB of tables each, from 5 bytes each.
    byte[] webp = HostileImages.webpWithGroups(64);
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(LIMITS, new MemoryBudget(Long.MAX_VALUE), false);
    long estimate =
        new ImageDecoder(LIMITS, false).plan(EncodedImage.of(webp), 299, 299, 0).estimatedBytes();
    preprocessor.prepare(webp, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF));
    Costs.Measured<PreparedImage> measured =
        Costs.of(
            () ->
                preprocessor.prepare(
                    webp, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF)));
    assertThat(measured.value().info()).isEqualTo(new ImageInfo("webp", 256, 256));
    assertThat(measured.allocatedBytes()).isGreaterThan(4096L * 5 * 1024);
    assertThat(measured.allocatedBytes()).isLessThanOrEqualTo(estimate);
  }

  @Test
  void losslessWebpAskingForMoreGroupsThanItsBitsHoldIsRefusedBeforeDecoding() {
    byte[] webp = HostileImages.webpWithGroups(256);
    // Cut in the middle of the 65536 groups' codes, and the RIFF and chunk lengths made to agree.
    byte[] cut = java.util.Arrays.copyOf(webp, webp.length / 2);
    java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(cut).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    le.putInt(4, cut.length - 8).putInt(16, cut.length - 20);
    Costs.Measured<PreparedImage> measured =
        Costs.of(
            () ->
                new ImagePreprocessor(ImageLimits.defaults(), new MemoryBudget(1L << 30), false)
                    .prepare(cut, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF)));
    assertThat(measured.thrown())
        .isInstanceOf(ImageRejectedException.class)
        .hasMessage(
            "webp image has a lossless bitstream that needs more bits than its chunk holds");
    assertThat(measured.allocatedBytes()).isLessThan(8L << 20);
  }

  @Test
  void progressiveJpegEstimateHoldsLibjpegsFullResolutionCoefficientBuffer() {
    // 8000x6250 grey: 1000 x 782 blocks of 64 two-byte coefficients, however small the output.
    byte[] jpeg = SyntheticJpegs.grey(8000, 6250, SyntheticJpegs.fullRefinement(0));
    JpegHeader header = JpegScanner.scan(EncodedImage.of(jpeg), ImageLimits.defaults()).jpeg();
    assertThat(header.multiScan()).isTrue();
    assertThat(header.coefficientBytes()).isEqualTo(1000L * 782 * 128);
    long estimate =
        new ImageDecoder(ImageLimits.defaults(), false)
            .plan(EncodedImage.of(jpeg), 299, 299, 0)
            .estimatedBytes();
    assertThat(estimate).isGreaterThan(1000L * 782 * 128);
  }
}
