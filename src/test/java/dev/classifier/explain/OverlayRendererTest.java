package dev.classifier.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.model.ClassifierHead;
import dev.classifier.model.ClassifierHead.FeatureLayout;
import dev.classifier.model.HeadLookup;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The PNG overlay: the image's own size, the map's colours where the map is high and low. */
class OverlayRendererTest {

  private static final int GREY = 128;

  private final Explainer explainer =
      new Explainer(
          HeadLookup.found(
              new ClassifierHead("f", FeatureLayout.NCHW, 1, 1, new float[] {1}, new float[] {0})));

  /** A 10 × 10 map that is 1 in its top-left cell and 0 elsewhere. */
  private static ActivationMap hotTopLeft() {
    float[] values = new float[100];
    values[0] = 1;
    return new ActivationMap(0, 10, 10, 0, 1, values);
  }

  private static BufferedImage grey(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(GREY, GREY, GREY));
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  private static BufferedImage decode(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  @Test
  void thePngHasTheImagesSizeAndAspectRatioNotTheMapsSquare() throws IOException {
    BufferedImage png = decode(explainer.overlayPng(grey(300, 150), hotTopLeft(), 0.5));

    assertThat(png.getWidth()).isEqualTo(300);
    assertThat(png.getHeight()).isEqualTo(150);
  }

  /**
   * Where the map is at its maximum the pixel is the grey blended half-half with viridis' yellow
   * #FDE725, where it is at its minimum with viridis' violet #440154; round half up per channel.
   */
  @Test
  void theOverlayDiffersWhereTheMapIsHighFromWhereItIsLow() throws IOException {
    BufferedImage png = decode(explainer.overlayPng(grey(300, 150), hotTopLeft(), 0.5));

    // (128 + 253) / 2 = 190.5, (128 + 231) / 2 = 179.5, (128 + 37) / 2 = 82.5
    assertThat(png.getRGB(0, 0) & 0xFFFFFF).isEqualTo(191 << 16 | 180 << 8 | 83);
    // (128 + 68) / 2 = 98, (128 + 1) / 2 = 64.5, (128 + 84) / 2 = 106
    assertThat(png.getRGB(299, 149) & 0xFFFFFF).isEqualTo(98 << 16 | 65 << 8 | 106);
    assertThat(png.getRGB(150, 75) & 0xFFFFFF).isEqualTo(98 << 16 | 65 << 8 | 106);
    // Bilinear between the hot cell's centre (15, 7.5) and the next one's (45, 7.5): a mixed colour
    int between = png.getRGB(30, 7) & 0xFFFFFF;
    assertThat(between)
        .isNotEqualTo(png.getRGB(0, 0) & 0xFFFFFF)
        .isNotEqualTo(98 << 16 | 65 << 8 | 106);
  }

  @Test
  void opacityZeroLeavesTheImageAndOneShowsTheHeatmapAlone() throws IOException {
    BufferedImage clear = decode(explainer.overlayPng(grey(40, 20), hotTopLeft(), 0));
    BufferedImage opaque = decode(explainer.overlayPng(grey(40, 20), hotTopLeft(), 1));

    assertThat(clear.getRGB(0, 0) & 0xFFFFFF).isEqualTo(GREY << 16 | GREY << 8 | GREY);
    assertThat(opaque.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFDE725);
    assertThat(opaque.getRGB(39, 19) & 0xFFFFFF).isEqualTo(0x440154);
  }

  @Test
  void viridisRunsThroughItsSamples() {
    assertThat(Viridis.rgb(0)).isEqualTo(0x440154);
    assertThat(Viridis.rgb(1)).isEqualTo(0xFDE725);
    assertThat(Viridis.rgb(-3)).isEqualTo(0x440154);
    assertThat(Viridis.rgb(Double.NaN)).isEqualTo(0x440154);
    assertThat(Viridis.rgb(4 / 9.0)).isEqualTo(0x26828E);
    // halfway between #26828E and #1F9E89: 34.5 -> 35, 144, 139.5 -> 140
    assertThat(Viridis.rgb(4.5 / 9)).isEqualTo(35 << 16 | 144 << 8 | 140);
  }
}
