package dev.classifier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The preview that prepare() builds from its one decode is the picture {@link UprightDecoder} drew
 * with a second decode before it delegated to {@link Preview}: the same size and the same pixels,
 * pinned by checksums taken from UprightDecoder at b081e43, for every orientation and several
 * sizes.
 */
class PreviewTest {

  private static final InputSpec SPEC =
      new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF);

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(ImageLimits.defaults(), new MemoryBudget(Long.MAX_VALUE));
  private final UprightDecoder upright = new UprightDecoder(ImageLimits.defaults());

  /**
   * 900x600 stored, uncompressed TIFF (decoded by ImageIO on every machine): red rises to the
   * right, green downwards, blue is noise, so every flip, turn and subsampling shows.
   */
  static byte[] tiff(int orientation) {
    int width = 900;
    int height = 600;
    byte[] pixels = new byte[width * height * 3];
    Random random = new Random(7);
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i += 3) {
        pixels[i] = (byte) (x * 255 / (width - 1));
        pixels[i + 1] = (byte) (y * 255 / (height - 1));
        pixels[i + 2] = (byte) random.nextInt(256);
      }
    }
    return TiffBuilder.rgb(width, height, 0, 0, 0).pixels(pixels).shorts(274, orientation).build();
  }

  private static long checksum(BufferedImage image) {
    CRC32 crc = new CRC32();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        crc.update(p >> 16);
        crc.update(p >> 8);
        crc.update(p);
      }
    }
    return crc.getValue();
  }

  private static void assertSamePicture(BufferedImage expected, BufferedImage actual) {
    assertThat(actual.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
    assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
    int[] want =
        expected.getRGB(
            0, 0, expected.getWidth(), expected.getHeight(), null, 0, expected.getWidth());
    int[] got =
        actual.getRGB(0, 0, actual.getWidth(), actual.getHeight(), null, 0, actual.getWidth());
    assertThat(got).isEqualTo(want);
  }

  private BufferedImage preview(byte[] bytes, int maxSide) {
    return preprocessor.prepare(bytes, SPEC, maxSide).preview().orElseThrow();
  }

  @ParameterizedTest(name = "orientation {0}, max side {1}")
  @CsvSource({
    "1, 299, 299, 199, 0x045ff8f9",
    "1, 640, 640, 427, 0x54e26e00",
    "1, 2000, 900, 600, 0x72edb6f0",
    "2, 299, 299, 199, 0xb0c15425",
    "2, 640, 640, 427, 0x63334461",
    "2, 2000, 900, 600, 0x3e8192c4",
    "3, 299, 299, 199, 0xac4a0517",
    "3, 640, 640, 427, 0xf1cefc0d",
    "3, 2000, 900, 600, 0x07403eab",
    "4, 299, 299, 199, 0x8c58d33e",
    "4, 640, 640, 427, 0xad5c1bd1",
    "4, 2000, 900, 600, 0x3c6b30b6",
    "5, 299, 199, 299, 0x1f3723cf",
    "5, 640, 427, 640, 0xcebef755",
    "5, 2000, 600, 900, 0xe4146306",
    "6, 299, 199, 299, 0x3abc3963",
    "6, 640, 427, 640, 0xaabf4e29",
    "6, 2000, 600, 900, 0x7b2d1514",
    "7, 299, 199, 299, 0x8a9cac3b",
    "7, 640, 427, 640, 0xb8bd4641",
    "7, 2000, 600, 900, 0x837eb0a2",
    "8, 299, 199, 299, 0x44d1c527",
    "8, 640, 427, 640, 0xc533feb9",
    "8, 2000, 600, 900, 0xd8778937"
  })
  void previewIsWhatUprightDecoderGaveBeforeDelegating(
      int orientation, int maxSide, int width, int height, String crc) {
    byte[] bytes = tiff(orientation);
    BufferedImage preview = preview(bytes, maxSide);
    assertThat(preview.getWidth()).isEqualTo(width);
    assertThat(preview.getHeight()).isEqualTo(height);
    assertThat(checksum(preview)).isEqualTo(Long.decode(crc));
    assertSamePicture(preview, upright.decode(bytes, maxSide));
  }

  @ParameterizedTest(name = "orientation {0}")
  @CsvSource({
    "1, 0x864b87bf, 100, 67",
    "3, 0x1799af29, 100, 67",
    "6, 0x7940c30c, 67, 100",
    "7, 0x29013b6e, 67, 100"
  })
  void uprightDecoderBelowTheInputSizeStillGivesWhatItGaveBefore(
      int orientation, String crc, int width, int height) {
    // Smaller than the tensor, the preview is averaged from a finer decode than UprightDecoder's
    // own (the tensor's), so only UprightDecoder is pinned here.
    BufferedImage image = upright.decode(tiff(orientation), 100);
    assertThat(image.getWidth()).isEqualTo(width);
    assertThat(image.getHeight()).isEqualTo(height);
    assertThat(checksum(image)).isEqualTo(Long.decode(crc));
  }

  @ParameterizedTest(name = "orientation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void jpegPreviewEqualsUprightDecoderOnWhicheverJpegPathIsInstalled(int orientation) {
    byte[] jpeg = TestImages.fixture("orient-" + orientation + ".jpg");
    for (int maxSide : new int[] {299, 640}) {
      assertSamePicture(upright.decode(jpeg, maxSide), preview(jpeg, maxSide));
    }
  }

  @Test
  void subsampledJpegPreviewEqualsUprightDecoder() {
    // 1200x900: decoded at 1/2 for a 299 tensor alone, in full for a 640 preview.
    byte[] jpeg = TestImages.encode(TestImages.noise(1200, 900, 4), "jpeg");
    assertSamePicture(upright.decode(jpeg, 640), preview(jpeg, 640));
    assertSamePicture(upright.decode(jpeg, 400), preview(jpeg, 400));
  }

  @Test
  void orientationSixShowsTheStoredTopLeftRedAtTheTopRight() {
    // orient-6.jpg stores 64x32 quadrants (red top-left); turned a quarter clockwise it is 32x64.
    BufferedImage preview = preview(TestImages.fixture("orient-6.jpg"), 640);
    assertThat(preview.getWidth()).isEqualTo(32);
    assertThat(preview.getHeight()).isEqualTo(64);
    int topRight = preview.getRGB(24, 8);
    assertThat(topRight >> 16 & 0xFF).isGreaterThan(240);
    assertThat(topRight >> 8 & 0xFF).isLessThan(15);
    assertThat(topRight & 0xFF).isLessThan(15);
  }

  @Test
  void noPreviewUnlessAskedFor() {
    byte[] bytes = tiff(1);
    assertThat(preprocessor.prepare(bytes, SPEC).preview()).isEmpty();
    assertThat(preprocessor.prepare(bytes, SPEC, 0).preview()).isEmpty();
    assertThatThrownBy(() -> preprocessor.prepare(bytes, SPEC, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("previewMaxSide must not be negative: -1");
  }

  @Test
  void previewDoesNotChangeTheTensorWhenTheDecodeIsTheSame() {
    // 64x32 is never subsampled, so asking for a preview must leave every tensor value as it was.
    byte[] jpeg = TestImages.fixture("orient-5.jpg");
    assertThat(preprocessor.prepare(jpeg, SPEC, 640).pixels())
        .isEqualTo(preprocessor.prepare(jpeg, SPEC).pixels());
  }
}
