package dev.classifier.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Deterministic photo-like JPEGs for the benchmark: smooth gradients and low-frequency waves (which
 * JPEG compresses like a photograph) plus mild per-pixel noise (so the entropy decoder has real
 * work), quality 90. The same size and seed always give the same bytes, so runs on different
 * machines decode the same input.
 */
final class BenchImages {

  private BenchImages() {}

  static byte[] photoLikeJpeg(int width, int height, long seed) {
    return photoLike(width, height, seed, false);
  }

  /** The same picture as a progressive JPEG, as phone galleries and web pipelines produce. */
  static byte[] progressiveJpeg(int width, int height, long seed) {
    return photoLike(width, height, seed, true);
  }

  private static byte[] photoLike(int width, int height, long seed, boolean progressive) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    SplittableRandom random = new SplittableRandom(seed);
    double fx = 2 * Math.PI * (1.5 + random.nextDouble()) / width;
    double fy = 2 * Math.PI * (1.0 + random.nextDouble()) / height;
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      double v = (double) y / height;
      for (int x = 0; x < width; x++) {
        double u = (double) x / width;
        double wave = Math.sin(x * fx + 0.7 * Math.sin(y * fy)) * Math.cos(y * fy * 1.3);
        int r = channel(255 * (0.25 + 0.5 * u) + 40 * wave, random);
        int g = channel(255 * (0.3 + 0.4 * v) - 30 * wave, random);
        int b = channel(255 * (0.6 - 0.35 * u * v) + 25 * wave, random);
        row[x] = (r << 16) | (g << 8) | b;
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return encode(image, 0.9f, progressive);
  }

  private static int channel(double value, SplittableRandom random) {
    return (int) Math.max(0, Math.min(255, Math.round(value + random.nextInt(-10, 11))));
  }

  private static byte[] encode(BufferedImage image, float quality, boolean progressive) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }
}
