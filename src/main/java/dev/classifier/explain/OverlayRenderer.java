package dev.classifier.explain;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Draws a class activation map over the upright image it explains: the map, normalised to its own
 * min..max, is upsampled bilinearly to the image's size (so it keeps the image's aspect ratio even
 * though the model saw a square), coloured with viridis and blended with the given opacity.
 */
final class OverlayRenderer {

  private OverlayRenderer() {}

  /**
   * @param opacity in [0, 1]: 0 shows the image only, 1 the heatmap only
   * @return a new TYPE_INT_RGB image of the same size as {@code upright}
   */
  static BufferedImage overlay(BufferedImage upright, ActivationMap map, double opacity) {
    if (!(opacity >= 0 && opacity <= 1)) {
      throw new IllegalArgumentException("opacity must be in [0, 1], was " + opacity);
    }
    int width = upright.getWidth();
    int height = upright.getHeight();
    float range = map.max() - map.min();
    // A flat map has no place that stands out: show it all at the low end of the colour map.
    float scale = range > 0 ? 1f / range : 0f;
    int[] image = upright.getRGB(0, 0, width, height, null, 0, width);
    int[] out = new int[width * height];
    float[] xs = new float[width];
    int[] x0 = new int[width];
    for (int x = 0; x < width; x++) {
      float u = clamp((x + 0.5f) * map.width() / width - 0.5f, map.width() - 1);
      x0[x] = Math.min((int) u, map.width() - 2 < 0 ? 0 : map.width() - 2);
      xs[x] = u - x0[x];
    }
    for (int y = 0; y < height; y++) {
      float v = clamp((y + 0.5f) * map.height() / height - 0.5f, map.height() - 1);
      int y0 = Math.min((int) v, map.height() - 2 < 0 ? 0 : map.height() - 2);
      float fy = v - y0;
      int y1 = Math.min(y0 + 1, map.height() - 1);
      for (int x = 0; x < width; x++) {
        int x1 = Math.min(x0[x] + 1, map.width() - 1);
        float fx = xs[x];
        float top = map.at(x0[x], y0) * (1 - fx) + map.at(x1, y0) * fx;
        float bottom = map.at(x0[x], y1) * (1 - fx) + map.at(x1, y1) * fx;
        float value = top * (1 - fy) + bottom * fy;
        int colour = Viridis.rgb((value - map.min()) * scale);
        out[y * width + x] = blend(image[y * width + x], colour, opacity);
      }
    }
    BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    result.setRGB(0, 0, width, height, out, 0, width);
    return result;
  }

  static byte[] png(BufferedImage image) {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
      ImageIO.write(image, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding to memory failed", e);
    }
  }

  /** Per channel {@code round((1 - a) * image + a * heat)}. */
  static int blend(int image, int heat, double opacity) {
    int rgb = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int a = image >> shift & 0xFF;
      int b = heat >> shift & 0xFF;
      rgb |= (int) Math.round(a + (b - a) * opacity) << shift;
    }
    return rgb;
  }

  private static float clamp(float value, int max) {
    return Math.max(0f, Math.min(value, max));
  }
}
