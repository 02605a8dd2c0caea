package dev.classifier.model.build;

import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.InputSpec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * The images calibration runs the float model over: a folder of the user's photos, or a built-in,
 * deterministic set of generated textures (gratings, smooth noise, shapes, stripes) for when no
 * photos are at hand. Real photos calibrate better: the textures exercise every channel, but not
 * with the statistics of the images the model will see.
 */
interface CalibrationImages {

  /** The most generated images; each costs a float run of the whole model. */
  int MAX_GENERATED = 1024;

  /** Where the images came from, for the model's metadata: {@code folder:<name>} or generated. */
  String source();

  /**
   * Prepares each image as {@code spec} says and hands it to {@code sink}.
   *
   * @return how many images were used
   */
  int forEach(InputSpec spec, Consumer<float[]> sink);

  /** The first {@code limit} images of {@code dir}, by name; unusable files are reported. */
  static CalibrationImages folder(Path dir, int limit, Consumer<String> progress) {
    ImageFolder folder = new ImageFolder(dir, limit);
    if (folder.found() > limit) {
      progress.accept(
          "Using the first "
              + limit
              + " of "
              + folder.found()
              + " files in "
              + dir
              + " (--calibration-images to change)");
    }
    Path name = dir.toAbsolutePath().normalize().getFileName();
    String source = "folder:" + (name == null ? "/" : name.toString());
    return new CalibrationImages() {
      @Override
      public String source() {
        return source;
      }

      @Override
      public int forEach(InputSpec spec, Consumer<float[]> sink) {
        return folder.forEach(spec, (file, pixels) -> sink.accept(pixels), progress);
      }
    };
  }

  /** {@code count} generated textures, the same on every machine. */
  static CalibrationImages generated(int count) {
    if (count < 1 || count > MAX_GENERATED) {
      throw new IllegalArgumentException(
          "generated calibration images must number 1 to " + MAX_GENERATED + ": " + count);
    }
    return new CalibrationImages() {
      @Override
      public String source() {
        return GeneratedTextures.SOURCE;
      }

      @Override
      public int forEach(InputSpec spec, Consumer<float[]> sink) {
        ImagePreprocessor preprocessor = ImageFolder.preprocessor();
        for (int i = 0; i < count; i++) {
          byte[] png = GeneratedTextures.png(i);
          sink.accept(preprocessor.prepare(png, spec).pixels());
        }
        return count;
      }
    };
  }

  /** Textured test pictures, encoded as PNG so that they go through the service's decoder. */
  final class GeneratedTextures {

    static final String SOURCE = "generated:textures-v1";
    static final int SIZE = 320;

    private GeneratedTextures() {}

    static byte[] png(int index) {
      BufferedImage image = image(index);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        ImageIO.write(image, "png", out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    static BufferedImage image(int index) {
      SplittableRandom random = new SplittableRandom(0x5eed_0000L + index);
      BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
      switch (index % 4) {
        case 0 -> gratings(image, random);
        case 1 -> smoothNoise(image, random);
        case 2 -> shapes(image, random);
        default -> stripes(image, random);
      }
      return image;
    }

    /** Three oriented sine gratings, each in its own colour. */
    private static void gratings(BufferedImage image, SplittableRandom random) {
      double[][] waves = new double[3][];
      for (int k = 0; k < 3; k++) {
        double angle = random.nextDouble(Math.PI);
        double frequency = random.nextDouble(0.02, 0.4);
        waves[k] =
            new double[] {
              Math.cos(angle) * frequency,
              Math.sin(angle) * frequency,
              random.nextDouble(2 * Math.PI),
              random.nextDouble(40, 128),
              random.nextDouble(40, 128),
              random.nextDouble(40, 128)
            };
      }
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          double r = 128;
          double g = 128;
          double b = 128;
          for (double[] w : waves) {
            double s = Math.sin(w[0] * x + w[1] * y + w[2]) / 3;
            r += s * w[3];
            g += s * w[4];
            b += s * w[5];
          }
          image.setRGB(x, y, rgb(r, g, b));
        }
      }
    }

    /** Bilinear value noise on a coarse random grid, plus fine grain. */
    private static void smoothNoise(BufferedImage image, SplittableRandom random) {
      int cells = 4 + random.nextInt(12);
      double[][][] grid = new double[cells + 1][cells + 1][3];
      for (double[][] row : grid) {
        for (double[] point : row) {
          for (int c = 0; c < 3; c++) {
            point[c] = random.nextDouble(255);
          }
        }
      }
      double grain = random.nextDouble(4, 30);
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          double gx = x * (double) cells / SIZE;
          double gy = y * (double) cells / SIZE;
          int i = (int) gx;
          int j = (int) gy;
          double fx = gx - i;
          double fy = gy - j;
          double[] v = new double[3];
          for (int c = 0; c < 3; c++) {
            v[c] =
                (1 - fy) * ((1 - fx) * grid[j][i][c] + fx * grid[j][i + 1][c])
                    + fy * ((1 - fx) * grid[j + 1][i][c] + fx * grid[j + 1][i + 1][c])
                    + random.nextDouble(-grain, grain);
          }
          image.setRGB(x, y, rgb(v[0], v[1], v[2]));
        }
      }
    }

    /** Filled ellipses and rectangles over a two-colour gradient. */
    private static void shapes(BufferedImage image, SplittableRandom random) {
      Graphics2D g = image.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setPaint(
          new java.awt.GradientPaint(
              0, 0, color(random), SIZE, random.nextInt(SIZE), color(random)));
      g.fillRect(0, 0, SIZE, SIZE);
      int shapes = 5 + random.nextInt(20);
      for (int k = 0; k < shapes; k++) {
        g.setColor(color(random));
        int x = random.nextInt(SIZE);
        int y = random.nextInt(SIZE);
        int w = 10 + random.nextInt(SIZE / 2);
        int h = 10 + random.nextInt(SIZE / 2);
        if (random.nextBoolean()) {
          g.fillOval(x - w / 2, y - h / 2, w, h);
        } else {
          g.fillRect(x - w / 2, y - h / 2, w, h);
        }
      }
      g.dispose();
    }

    /** Hard-edged stripes of random period and colours, with grain. */
    private static void stripes(BufferedImage image, SplittableRandom random) {
      int period = 4 + random.nextInt(60);
      boolean vertical = random.nextBoolean();
      Color a = color(random);
      Color b = color(random);
      double grain = random.nextDouble(2, 20);
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          Color c = ((vertical ? x : y) / period) % 2 == 0 ? a : b;
          image.setRGB(
              x,
              y,
              rgb(
                  c.getRed() + random.nextDouble(-grain, grain),
                  c.getGreen() + random.nextDouble(-grain, grain),
                  c.getBlue() + random.nextDouble(-grain, grain)));
        }
      }
    }

    private static Color color(SplittableRandom random) {
      return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    private static int rgb(double r, double g, double b) {
      return (channel(r) << 16) | (channel(g) << 8) | channel(b);
    }

    private static int channel(double v) {
      return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
  }
}
