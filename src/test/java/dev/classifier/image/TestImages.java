package dev.classifier.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Builds and encodes test images, and reads tensor values back as 0..255 levels. */
final class TestImages {

  static final int RED = 0xFF0000;
  static final int GREEN = 0x00FF00;
  static final int BLUE = 0x0000FF;
  static final int WHITE = 0xFFFFFF;

  private TestImages() {}

  /**
   * The pipeline under the service's default limits, with a budget that never refuses: these tests
   * are about pixels, not about sharing memory.
   *
   * @param useNativeJpeg false forces ImageIO even where TurboJPEG is installed
   */
  static ImagePreprocessor preprocessor(boolean useNativeJpeg) {
    return new ImagePreprocessor(
        ImageLimits.defaults(), new MemoryBudget(Long.MAX_VALUE), useNativeJpeg);
  }

  static BufferedImage solid(int width, int height, int rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  /**
   * Top-left red, top-right green, bottom-left blue, bottom-right white: every flip and turn looks
   * different.
   */
  static BufferedImage quadrants(int width, int height, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean left = x < width / 2;
        boolean top = y < height / 2;
        image.setRGB(x, y, top ? (left ? RED : GREEN) : (left ? BLUE : WHITE));
      }
    }
    return image;
  }

  /**
   * Random colours: compresses like a photo's worst case, so truncation cuts land inside pixel
   * data.
   */
  static BufferedImage noise(int width, int height, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt() & 0xFFFFFF);
      }
    }
    return image;
  }

  /** Every level 0..255 appears in each channel, with different patterns per channel. */
  static int knownPixel(int x, int y) {
    int r = x % 256;
    int g = y % 256;
    int b = (x * 7 + y * 3) % 256;
    return r << 16 | g << 8 | b;
  }

  /**
   * A {@code size x size} PNG of {@link #knownPixel}: at the input size the resize is the identity,
   * so the tensor holds each level's normalised value exactly.
   */
  static byte[] knownPng(int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, knownPixel(x, y));
      }
    }
    return encode(image, "png");
  }

  static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format + " and " + image);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] fixture(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The R, G, B values at (x, y) of a tensor, mapped back from [-1, 1] to 0..255. */
  static float[] levelsAt(
      PreparedImage image, int x, int y, int width, int height, TensorLayout layout) {
    float[] p = image.pixels();
    float[] rgb = new float[3];
    for (int c = 0; c < 3; c++) {
      int index =
          layout == TensorLayout.NHWC
              ? (y * width + x) * 3 + c
              : c * width * height + y * width + x;
      rgb[c] = (float) ((p[index] + 1.0) * 127.5);
    }
    return rgb;
  }

  /** x / 127.5 − 1 rounded once to float: what the tensor must hold for an exact level x. */
  static float expected(double level) {
    return (float) (level / 127.5 - 1.0);
  }
}
