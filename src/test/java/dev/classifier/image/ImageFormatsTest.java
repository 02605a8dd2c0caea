package dev.classifier.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageFormatsTest {

  private static final int SIZE = 299;
  private static final float[] RED = {255, 0, 0};
  private static final float[] GREEN = {0, 255, 0};
  private static final float[] BLUE = {0, 0, 255};
  private static final float[] WHITE = {255, 255, 255};

  private final ImagePreprocessor preprocessor = TestImages.preprocessor(true);

  private PreparedImage prepare(byte[] bytes) {
    return preprocessor.prepare(
        bytes, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF));
  }

  private static float[] at(PreparedImage image, int x, int y) {
    return TestImages.levelsAt(image, x, y, SIZE, SIZE, TensorLayout.NHWC);
  }

  /** Quadrant centres, far from the edges a lossy codec blurs. */
  private static void assertQuadrants(
      PreparedImage image, float[] tl, float[] tr, float[] bl, float[] br, float tolerance) {
    assertArrayEquals(tl, at(image, 75, 75), tolerance, "top-left");
    assertArrayEquals(tr, at(image, 224, 75), tolerance, "top-right");
    assertArrayEquals(bl, at(image, 75, 224), tolerance, "bottom-left");
    assertArrayEquals(br, at(image, 224, 224), tolerance, "bottom-right");
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "bmp", "gif", "tiff"})
  void losslessFormatsWrittenByImageIoDecodeExactly(String format) {
    byte[] bytes =
        TestImages.encode(TestImages.quadrants(64, 32, BufferedImage.TYPE_3BYTE_BGR), format);
    PreparedImage image = prepare(bytes);
    assertEquals(new ImageInfo(format, 64, 32), image.info());
    assertQuadrants(image, RED, GREEN, BLUE, WHITE, 1e-3f);
  }

  @Test
  void baselineJpeg() {
    byte[] bytes =
        TestImages.encode(TestImages.quadrants(64, 32, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
    PreparedImage image = prepare(bytes);
    assertEquals(new ImageInfo("jpeg", 64, 32), image.info());
    assertQuadrants(image, RED, GREEN, BLUE, WHITE, 6f);
  }

  @Test
  void progressiveJpeg() {
    PreparedImage image = prepare(TestImages.fixture("progressive.jpg"));
    assertEquals(new ImageInfo("jpeg", 64, 32), image.info());
    assertQuadrants(image, RED, GREEN, BLUE, WHITE, 6f);
  }

  @Test
  void losslessWebp() {
    PreparedImage image = prepare(TestImages.fixture("lossless.webp"));
    assertEquals(new ImageInfo("webp", 64, 32), image.info());
    assertQuadrants(image, RED, GREEN, BLUE, WHITE, 1e-3f);
  }

  @Test
  void lossyWebp() {
    PreparedImage image = prepare(TestImages.fixture("lossy.webp"));
    assertEquals(new ImageInfo("webp", 64, 32), image.info());
    assertQuadrants(image, RED, GREEN, BLUE, WHITE, 6f);
  }

  @Test
  void cmykJpegIsConvertedToItsRgbColour() {
    // ImageMagick wrote sRGB (230, 120, 30) as Adobe CMYK; a reader treating the four channels as
    // RGB(A) or
    // forgetting the Adobe inversion would be far off.
    PreparedImage image = prepare(TestImages.fixture("cmyk.jpg"));
    assertEquals(new ImageInfo("jpeg", 48, 32), image.info());
    assertArrayEquals(new float[] {230, 120, 30}, at(image, 150, 150), 8f);
  }

  @Test
  void sixteenBitPngKeepsItsPrecision() {
    // Left half 0xffff/0x0000/0x8080, right half 0x8000/0x8000/0x80ff per channel.
    PreparedImage image = prepare(TestImages.fixture("rgb16.png"));
    assertEquals(new ImageInfo("png", 8, 4), image.info());
    assertArrayEquals(new float[] {255, 0, 128}, at(image, 10, 10), 1e-3f);
    float half = 0x8000 / 257f;
    float blue = 0x80ff / 257f;
    assertArrayEquals(new float[] {half, half, blue}, at(image, 290, 10), 1e-3f);
  }

  @Test
  void sixteenBitGreyKeepsItsPrecision() {
    BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = grey.getRaster();
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        raster.setSample(x, y, 0, 0x8080);
      }
    }
    assertArrayEquals(
        new float[] {128, 128, 128}, at(prepare(TestImages.encode(grey, "png")), 100, 100), 1e-3f);
  }

  @Test
  void eightBitGreyIsExpandedToThreeEqualChannelsWithoutGammaShift() {
    BufferedImage grey = new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = grey.getRaster();
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 5; x++) {
        raster.setSample(x, y, 0, 100);
      }
    }
    // Java's getRGB on a grey image would report about 168 here (it treats grey as linear light).
    assertArrayEquals(
        new float[] {100, 100, 100}, at(prepare(TestImages.encode(grey, "png")), 3, 3), 1e-3f);
  }

  @Test
  void paletteImagesUseTheirPalette() {
    // Palette order deliberately unlike R, G, B, W so that index values cannot pass for colours. A
    // full
    // 256-entry palette, because the JDK's BMP writer garbles the 4-bit files it writes for small
    // palettes.
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    g[0] = (byte) 255;
    r[1] = (byte) 255;
    g[1] = (byte) 255;
    b[1] = (byte) 255;
    b[2] = (byte) 255;
    r[3] = (byte) 255;
    BufferedImage indexed =
        new BufferedImage(
            64, 32, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
    int[] indexOf = {3, 0, 2, 1};
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        int quadrant = (y < 16 ? 0 : 2) + (x < 32 ? 0 : 1);
        indexed.getRaster().setSample(x, y, 0, indexOf[quadrant]);
      }
    }
    for (String format : new String[] {"png", "gif", "bmp"}) {
      assertQuadrants(prepare(TestImages.encode(indexed, format)), RED, GREEN, BLUE, WHITE, 1e-3f);
    }
  }

  @Test
  void alphaIsCompositedOverWhite() {
    BufferedImage argb = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 10; x++) {
        // Left: red at alpha 128; right: fully transparent black.
        argb.setRGB(x, y, x < 5 ? 0x80FF0000 : 0x00000000);
      }
    }
    PreparedImage image = prepare(TestImages.encode(argb, "png"));
    float covered = 255f * (1 - 128 / 255f);
    assertArrayEquals(new float[] {255, covered, covered}, at(image, 10, 150), 1e-3f);
    assertArrayEquals(WHITE, at(image, 290, 150), 1e-3f);
  }

  @Test
  void animatedGifUsesItsFirstFrame() {
    PreparedImage image = prepare(TestImages.fixture("animated.gif"));
    assertEquals(new ImageInfo("gif", 16, 16), image.info());
    assertArrayEquals(RED, at(image, 150, 150), 1e-3f);
  }

  @Test
  void adobeRgbProfileIsConvertedToSrgbInEveryFormatThatEmbedsOne() {
    // Pixels (40, 180, 90) tagged as Adobe RGB (1998). ImageMagick/LittleCMS converts them to sRGB
    // (0, 181, 82..83); ignoring the profile would leave red at 40.
    for (String name :
        new String[] {"adobe-rgb.jpg", "adobe-rgb.png", "adobe-rgb.webp", "adobe-rgb.tif"}) {
      float[] rgb = at(prepare(TestImages.fixture(name)), 150, 150);
      assertArrayEquals(new float[] {0, 181, 83}, rgb, 3f, name);
    }
  }

  /**
   * Expected displayed quadrants for the stored quadrants red/green over blue/white, per EXIF
   * orientation.
   */
  @ParameterizedTest(name = "orientation {0}")
  @CsvSource({
    "1, 64, 32, R, G, B, W",
    "2, 64, 32, G, R, W, B",
    "3, 64, 32, W, B, G, R",
    "4, 64, 32, B, W, R, G",
    "5, 32, 64, R, B, G, W",
    "6, 32, 64, B, R, W, G",
    "7, 32, 64, W, G, B, R",
    "8, 32, 64, G, W, R, B"
  })
  void exifOrientationIsApplied(
      int orientation, int width, int height, char tl, char tr, char bl, char br) {
    PreparedImage image = prepare(TestImages.fixture("orient-" + orientation + ".jpg"));
    assertEquals(new ImageInfo("jpeg", width, height), image.info());
    assertQuadrants(image, colour(tl), colour(tr), colour(bl), colour(br), 6f);
  }

  @Test
  void orientationSixTurnsTheRedLeftHalfIntoTheTopHalf() {
    // Stored: left column red over blue. Turned 90 degrees clockwise for display, that column is
    // the top row,
    // so red is top-right and blue top-left; the whole bottom half holds no red at all.
    PreparedImage image = prepare(TestImages.fixture("orient-6.jpg"));
    assertArrayEquals(RED, at(image, 224, 75), 6f);
    for (int x = 0; x < SIZE; x += 20) {
      assertTrue(
          at(image, x, 250)[0] > 200 == (x < 150), "bottom half is white then green at x=" + x);
    }
  }

  @Test
  void tiffOrientationTagIsApplied() {
    PreparedImage image = prepare(TestImages.fixture("orient-6.tif"));
    assertEquals(new ImageInfo("tiff", 32, 64), image.info());
    assertQuadrants(image, BLUE, RED, WHITE, GREEN, 1e-3f);
  }

  @Test
  void webpExifOrientationIsApplied() {
    PreparedImage image = prepare(TestImages.fixture("orient-6.webp"));
    assertEquals(new ImageInfo("webp", 32, 64), image.info());
    assertQuadrants(image, BLUE, RED, WHITE, GREEN, 1e-3f);
  }

  private static float[] colour(char c) {
    return switch (c) {
      case 'R' -> RED;
      case 'G' -> GREEN;
      case 'B' -> BLUE;
      default -> WHITE;
    };
  }
}
