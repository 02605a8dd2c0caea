package dev.classifier.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  /** The whole resized image, stored orientation, R, G, B floats in 0..255. */
  static float[] resize(BufferedImage image, int width, int height) {
    float[] out = new float[width * height * 3];
    SrgbRows rows = new SrgbRows(image);
    Resampler.resize(
        rows,
        new Resampler(
            rows.width(),
            rows.height(),
            width,
            height,
            (y, rgb) -> System.arraycopy(rgb, 0, out, y * width * 3, width * 3)));
    return out;
  }

  @Test
  void halvingAveragesEachTwoByTwoBlock() {
    BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
    int[] reds = {0, 10, 100, 200, 20, 30, 50, 250};
    for (int i = 0; i < reds.length; i++) {
      image.setRGB(i % 4, i / 4, reds[i] << 16);
    }
    float[] out = resize(image, 2, 1);
    assertEquals((0 + 10 + 20 + 30) / 4f, out[0], 1e-4);
    assertEquals((100 + 200 + 50 + 250) / 4f, out[3], 1e-4);
  }

  @Test
  void fractionalRatioWeighsSourcePixelsByCoverage() {
    // 3 -> 2: output 0 covers source [0, 1.5): pixel 0 fully, pixel 1 half.
    BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 90 << 16);
    image.setRGB(1, 0, 30 << 16);
    image.setRGB(2, 0, 210 << 16);
    float[] out = resize(image, 2, 1);
    assertEquals((90 * 1 + 30 * 0.5f) / 1.5f, out[0], 1e-4);
    assertEquals((30 * 0.5f + 210 * 1) / 1.5f, out[3], 1e-4);
  }

  @Test
  void finestStripesAverageToGreyInsteadOfAliasing() {
    // One-pixel black/white columns halved: point sampling would give all black or all white.
    BufferedImage image = new BufferedImage(598, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 598; x++) {
        image.setRGB(x, y, x % 2 == 0 ? 0xFFFFFF : 0);
      }
    }
    float[] out = resize(image, 299, 2);
    for (float v : out) {
      assertEquals(127.5f, v, 1e-3);
    }
  }

  @Test
  void enlargingInterpolatesLinearlyBetweenPixelCentres() {
    // 2 -> 4: output centres sit at source 0.25 and 0.75 from pixel 0 towards pixel 1 for the
    // middle two.
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0);
    image.setRGB(1, 0, 200 << 16);
    float[] out = resize(image, 4, 1);
    assertArrayEquals(
        new float[] {0, 50, 150, 200}, new float[] {out[0], out[3], out[6], out[9]}, 1e-4f);
  }

  @Test
  void equalSizeIsTheIdentity() {
    BufferedImage image = TestImages.noise(7, 5, 3);
    float[] out = resize(image, 7, 5);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 7; x++) {
        int p = image.getRGB(x, y);
        int i = (y * 7 + x) * 3;
        assertArrayEquals(
            new float[] {p >> 16 & 0xFF, p >> 8 & 0xFF, p & 0xFF},
            new float[] {out[i], out[i + 1], out[i + 2]});
      }
    }
  }
}
