package dev.classifier.image;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Generated pictures the service feeds itself while warming up, before any client has sent one. */
public final class SyntheticPhotos {

  private SyntheticPhotos() {}

  /**
   * A gradient with a shape on it: decodes like a photo (not a flat image that compresses away).
   */
  public static byte[] photo(int width, int height, String format) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(
        new GradientPaint(0, 0, new Color(30, 90, 200), width, height, new Color(250, 180, 30)));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(20, 120, 60));
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, format, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
