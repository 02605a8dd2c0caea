package dev.classifier.image;

import static dev.classifier.image.TestImages.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImagePreprocessorExactValuesTest {

  private static final int SIZE = 299;
  private final ImagePreprocessor preprocessor = TestImages.preprocessor(true);

  @Test
  void knownPngGivesExactlyXOver127point5MinusOneAtEveryNhwcPosition() {
    PreparedImage prepared =
        preprocessor.prepare(
            TestImages.knownPng(SIZE),
            new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF));
    float[] t = prepared.pixels();
    assertEquals(3 * SIZE * SIZE, t.length);
    // Spot checks with literal values so a wrong formula cannot hide behind the same helper.
    assertEquals(-1f, t[0]); // (0,0) R = 0
    assertEquals(expected(255), t[(0 * SIZE + 255) * 3]); // (255,0) R = 255
    assertEquals(1f, t[(0 * SIZE + 255) * 3]);
    assertEquals(expected(10), t[(10 * SIZE + 0) * 3 + 1]); // (0,10) G = 10
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int p = TestImages.knownPixel(x, y);
        int i = (y * SIZE + x) * 3;
        assertEquals(expected(p >> 16 & 0xFF), t[i], "R at " + x + "," + y);
        assertEquals(expected(p >> 8 & 0xFF), t[i + 1], "G at " + x + "," + y);
        assertEquals(expected(p & 0xFF), t[i + 2], "B at " + x + "," + y);
      }
    }
  }

  @Test
  void knownPngGivesExactlyXOver127point5MinusOneAtEveryNchwPosition() {
    PreparedImage prepared =
        preprocessor.prepare(
            TestImages.knownPng(SIZE),
            new InputSpec(SIZE, SIZE, TensorLayout.NCHW, Normalization.TF));
    float[] t = prepared.pixels();
    int plane = SIZE * SIZE;
    assertEquals(expected(200), t[0 * plane + 3 * SIZE + 200]); // (200,3) R = 200
    assertEquals(expected(3), t[1 * plane + 3 * SIZE + 200]); // (200,3) G = 3
    assertEquals(expected((200 * 7 + 9) % 256), t[2 * plane + 3 * SIZE + 200]);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int p = TestImages.knownPixel(x, y);
        int i = y * SIZE + x;
        assertEquals(expected(p >> 16 & 0xFF), t[i], "R at " + x + "," + y);
        assertEquals(expected(p >> 8 & 0xFF), t[plane + i], "G at " + x + "," + y);
        assertEquals(expected(p & 0xFF), t[2 * plane + i], "B at " + x + "," + y);
      }
    }
  }

  @Test
  void reportsFormatAndSize() {
    PreparedImage prepared =
        preprocessor.prepare(
            TestImages.knownPng(SIZE),
            new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF));
    assertEquals(new ImageInfo("png", SIZE, SIZE), prepared.info());
  }

  @ParameterizedTest
  @EnumSource(TensorLayout.class)
  void pureRedGreenBlueLandInChannelsZeroOneTwo(TensorLayout layout) {
    int[] colours = {TestImages.RED, TestImages.GREEN, TestImages.BLUE};
    for (int c = 0; c < 3; c++) {
      byte[] png = TestImages.encode(TestImages.solid(40, 30, colours[c]), "png");
      PreparedImage prepared =
          preprocessor.prepare(png, new InputSpec(SIZE, SIZE, layout, Normalization.TF));
      for (int[] at : new int[][] {{0, 0}, {150, 100}, {298, 298}}) {
        float[] rgb = TestImages.levelsAt(prepared, at[0], at[1], SIZE, SIZE, layout);
        for (int k = 0; k < 3; k++) {
          assertEquals(
              k == c ? 255f : 0f, rgb[k], 1e-3, "colour " + c + " channel " + k + " at " + at[0]);
        }
      }
    }
  }

  @Test
  void nonSquareTargetIsSquashedNotCropped() {
    // 80x20 left half red, right half blue into 10x10: both colours must survive, in their halves.
    BufferedImage image = TestImages.solid(80, 20, TestImages.RED);
    for (int y = 0; y < 20; y++) {
      for (int x = 40; x < 80; x++) {
        image.setRGB(x, y, TestImages.BLUE);
      }
    }
    PreparedImage prepared =
        preprocessor.prepare(
            TestImages.encode(image, "png"),
            new InputSpec(10, 10, TensorLayout.NHWC, Normalization.TF));
    assertEquals(255f, TestImages.levelsAt(prepared, 0, 5, 10, 10, TensorLayout.NHWC)[0], 1e-3);
    assertEquals(255f, TestImages.levelsAt(prepared, 9, 5, 10, 10, TensorLayout.NHWC)[2], 1e-3);
    assertEquals(0f, TestImages.levelsAt(prepared, 9, 5, 10, 10, TensorLayout.NHWC)[0], 1e-3);
  }
}
