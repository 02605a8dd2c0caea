package dev.classifier.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The single-pass resize writing straight into the tensor gives, bit for bit, what the two-pass
 * implementation it replaced ({@link ReferenceResize}) gave: for every orientation and layout, for
 * shrinking, enlarging, mixed and identity ratios, sources narrower than the filter window, and
 * each way rows are read (straight from 3-byte BGR and grey bytes, packed ints, alpha components).
 */
class ResizeOracleTest {

  private static final int[][] SIZES = {
    // source width, height -> target width, height
    {640, 480, 299, 299},
    {333, 97, 299, 299},
    {1000, 37, 20, 10},
    {3, 2, 7, 5},
    {1, 1, 3, 2},
    {7, 5, 7, 5},
    {801, 613, 224, 224},
    {40, 30, 299, 299},
  };

  private static BufferedImage image(int type, int width, int height, long seed) {
    BufferedImage image = new BufferedImage(width, height, type);
    Random random = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return image;
  }

  private static float[] tensor(
      BufferedImage image, int orientation, int width, int height, TensorLayout layout) {
    SrgbRows rows = new SrgbRows(image);
    TensorWriter tensor = new TensorWriter(orientation, width, height, layout, Normalization.TF);
    Resampler.resize(
        rows,
        new Resampler(
            rows.width(), rows.height(), tensor.storedWidth(), tensor.storedHeight(), tensor));
    return tensor.tensor();
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_BYTE_GRAY,
        BufferedImage.TYPE_INT_RGB,
        BufferedImage.TYPE_4BYTE_ABGR
      })
  void singlePassTensorIsBitIdenticalToTheTwoPassResize(int type) {
    for (int[] size : SIZES) {
      BufferedImage image = image(type, size[0], size[1], size[0] * 31L + size[1]);
      for (int orientation = 1; orientation <= 8; orientation++) {
        for (TensorLayout layout : TensorLayout.values()) {
          assertArrayEquals(
              ReferenceResize.tensor(new SrgbRows(image), orientation, size[2], size[3], layout),
              tensor(image, orientation, size[2], size[3], layout),
              size[0]
                  + "x"
                  + size[1]
                  + " -> "
                  + size[2]
                  + "x"
                  + size[3]
                  + " orientation "
                  + orientation
                  + " "
                  + layout);
        }
      }
    }
  }

  /**
   * Rows read as stored (see {@link SrgbRows#readStored}) start at the raster's own offset: a
   * window into a larger 3-byte BGR or grey image resizes exactly as a copy of that window does.
   */
  @ParameterizedTest
  @ValueSource(ints = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY})
  void aSubimageIsReadFromItsOwnOffset(int type) {
    BufferedImage whole = image(type, 700, 520, 7);
    BufferedImage window = whole.getSubimage(37, 21, 640, 480);
    BufferedImage copy = new BufferedImage(640, 480, type);
    copy.getRaster().setRect(window.getRaster());
    for (int orientation : new int[] {1, 6}) {
      assertArrayEquals(
          tensor(copy, orientation, 299, 299, TensorLayout.NHWC),
          tensor(window, orientation, 299, 299, TensorLayout.NHWC),
          "orientation " + orientation);
    }
  }
}
