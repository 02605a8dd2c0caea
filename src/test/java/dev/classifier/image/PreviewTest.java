package dev.classifier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The preview prepare() draws from its one decode: the upright picture at its own aspect ratio, at
 * most maxSide on its long side, exactly the upright pixels when nothing had to be scaled, and
 * asking for it never changes the tensor (so /v1/explain scores what /v1/classify scores).
 */
class PreviewTest {

  private static final InputSpec SPEC =
      new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF);

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(ImageLimits.defaults(), new MemoryBudget(Long.MAX_VALUE));

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

  private BufferedImage preview(byte[] bytes, int maxSide) {
    return preprocessor.prepare(bytes, SPEC, maxSide).preview().orElseThrow();
  }

  @ParameterizedTest(name = "orientation {0}, max side {1}")
  @CsvSource({
    "1, 299, 299, 199",
    "1, 640, 640, 427",
    "1, 2000, 900, 600",
    "2, 640, 640, 427",
    "3, 640, 640, 427",
    "4, 640, 640, 427",
    "5, 299, 199, 299",
    "5, 640, 427, 640",
    "6, 640, 427, 640",
    "7, 640, 427, 640",
    "8, 2000, 600, 900"
  })
  void previewKeepsTheUprightAspectRatioAndNeverExceedsTheImage(
      int orientation, int maxSide, int width, int height) {
    BufferedImage preview = preview(tiff(orientation), maxSide);
    assertThat(preview.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(preview.getWidth()).isEqualTo(width);
    assertThat(preview.getHeight()).isEqualTo(height);
  }

  /** 320x300 is decoded in full for a 299 tensor, so a preview of its own size is its pixels. */
  @ParameterizedTest(name = "orientation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void previewOfAnImageNotScaledIsExactlyItsUprightPixels(int orientation) {
    int storedWidth = 320;
    int storedHeight = 300;
    byte[] rgb = new byte[storedWidth * storedHeight * 3];
    new Random(orientation).nextBytes(rgb);
    byte[] bytes =
        TiffBuilder.rgb(storedWidth, storedHeight, 0, 0, 0)
            .pixels(rgb)
            .shorts(274, orientation)
            .build();
    BufferedImage preview = preview(bytes, 640);
    boolean swap = Orientation.swapsAxes(orientation);
    int width = swap ? storedHeight : storedWidth;
    int height = swap ? storedWidth : storedHeight;
    assertThat(preview.getWidth()).isEqualTo(width);
    assertThat(preview.getHeight()).isEqualTo(height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int s = Orientation.storedIndex(orientation, x, y, storedWidth, storedHeight) * 3;
        int expected = (rgb[s] & 0xFF) << 16 | (rgb[s + 1] & 0xFF) << 8 | (rgb[s + 2] & 0xFF);
        assertThat(preview.getRGB(x, y) & 0xFFFFFF).as("(%d, %d)", x, y).isEqualTo(expected);
      }
    }
  }

  @Test
  void askingForAPreviewNeverChangesTheTensor() {
    // Both are decoded at reduced resolution for a 299 tensor (the JPEG on whichever path is
    // installed), smaller than the 640 preview asks for.
    for (byte[] image :
        new byte[][] {
          tiff(6), TestImages.encode(TestImages.noise(1200, 900, 4), "jpeg"), tiff(1)
        }) {
      PreparedImage alone = preprocessor.prepare(image, SPEC);
      PreparedImage withPreview = preprocessor.prepare(image, SPEC, 640);
      assertThat(withPreview.pixels()).isEqualTo(alone.pixels());
      assertThat(withPreview.info()).isEqualTo(alone.info());
      assertThat(withPreview.preview().orElseThrow().getWidth()).isIn(640, 427);
    }
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
}
