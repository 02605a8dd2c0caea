package dev.classifier.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The optional TurboJPEG path must agree with the ImageIO path. Tests that need the native library
 * are skipped on a developer machine without it; with CI=true its absence fails the build (.ci/run
 * installs it).
 */
class NativeJpegTest {

  private static ImagePreprocessor requireNativePath() {
    ImagePreprocessor nativePath = TestImages.preprocessor(true);
    if (!nativePath.usesNativeJpeg()) {
      if ("true".equals(System.getenv("CI"))) {
        fail(
            "CI=true but TurboJPEG is not installed (apt-get install libturbojpeg-java libturbojpeg0-dev)");
      }
      Assumptions.abort(
          "TurboJPEG (libturbojpeg-java) not installed; set CI=true to make this a failure");
    }
    return nativePath;
  }

  @Test
  void scaleIsTheSmallestEighthThatStillCoversTheTarget() {
    assertEquals(1, NativeJpeg.eighths(4000, 3000, 299, 299));
    assertEquals(3, NativeJpeg.eighths(1200, 900, 299, 299));
    // 480 * 5/8 = 300 covers 299; 4/8 would give 240.
    assertEquals(5, NativeJpeg.eighths(640, 480, 299, 299));
    assertEquals(400, NativeJpeg.scaled(640, 5));
    assertEquals(300, NativeJpeg.scaled(480, 5));
    assertEquals(8, NativeJpeg.eighths(340, 340, 299, 299));
    assertEquals(8, NativeJpeg.eighths(299, 299, 299, 299));
    // Below the target it is never enlarged: 8/8 is the largest scale tried.
    assertEquals(8, NativeJpeg.eighths(100, 100, 299, 299));
    // Each axis must cover its own side: a wide strip is held back by its height.
    assertEquals(8, NativeJpeg.eighths(4000, 300, 299, 299));
    // libjpeg rounds scaled sizes up: 2392 / 8 = 299 exactly, 2391 / 8 rounds up to 299 too.
    assertEquals(1, NativeJpeg.eighths(2391, 2391, 299, 299));
    assertEquals(2, NativeJpeg.eighths(2384, 2384, 299, 299));
    assertEquals(299, NativeJpeg.scaled(2391, 1));
  }

  /**
   * Smooth, photo-like content: the two decoders may differ in rounding, never in what the picture
   * is.
   */
  private static BufferedImage gradients(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = 255 * x / width;
        int g = 255 * y / height;
        int b = (int) (127.5 + 127.5 * Math.sin(x * 6.0 / width) * Math.cos(y * 4.0 / height));
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return image;
  }

  private static void assertNearlyIdentical(byte[] jpeg, double maxMeanLevels, double maxLevels) {
    ImagePreprocessor nativePath = requireNativePath();
    ImagePreprocessor imageIo = TestImages.preprocessor(false);
    PreparedImage a =
        nativePath.prepare(jpeg, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF));
    PreparedImage b =
        imageIo.prepare(jpeg, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF));
    assertEquals(b.info(), a.info());
    double sum = 0;
    double max = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      double levels = Math.abs(a.pixels()[i] - b.pixels()[i]) * 127.5;
      sum += levels;
      max = Math.max(max, levels);
    }
    double mean = sum / a.pixels().length;
    assertTrue(mean <= maxMeanLevels, "mean difference " + mean + " levels");
    assertTrue(max <= maxLevels, "largest difference " + max + " levels");
  }

  @Test
  void fullSizeDecodeMatchesImageIo() {
    assertNearlyIdentical(TestImages.encode(gradients(340, 320), "jpeg"), 0.5, 3);
  }

  @Test
  void fiveEighthsDecodeMatchesAFullImageIoDecode() {
    // Native: 5/8 scale to 400x300, then area-averaged to 299; ImageIO: all of 640x480, then
    // area-averaged. The same picture, filtered in a different order.
    assertNearlyIdentical(TestImages.encode(gradients(640, 480), "jpeg"), 0.5, 3);
  }

  @Test
  void dctScaledDecodeMatchesSubsampledImageIo() {
    // Native: 1/4 scale to 600x450; ImageIO: every 8th column and 6th row to 300x300. Both then
    // area-average
    // to 299, the point-sampled one slightly shifted (it keeps the first of every 6 or 8 pixels,
    // not their centre).
    assertNearlyIdentical(TestImages.encode(gradients(2400, 1800), "jpeg"), 1.0, 6);
  }

  @Test
  void exifOrientationIsAppliedOnTheNativePath() {
    for (int orientation = 1; orientation <= 8; orientation++) {
      assertNearlyIdentical(TestImages.fixture("orient-" + orientation + ".jpg"), 1.0, 8);
    }
  }
}
