package dev.classifier.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link UprightDecoder}, now drawn by {@link Preview}, gives the same size and the same pixels as
 * before it delegated: pinned by checksums taken from UprightDecoder at b081e43, for every
 * orientation and several sizes.
 */
class PreviewTest {

  private final UprightDecoder upright = new UprightDecoder(ImageLimits.defaults());

  /**
   * 900x600 stored, uncompressed TIFF (decoded by ImageIO on every machine): red rises to the
   * right, green downwards, blue is noise, so every flip, turn and subsampling shows.
   */
  static byte[] tiff(int orientation) {
    int width = 900;
    int height = 600;
    byte[] pixels = new byte[width * height * 3];
    Random random = new Random(7);
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i += 3) {
        pixels[i] = (byte) (x * 255 / (width - 1));
        pixels[i + 1] = (byte) (y * 255 / (height - 1));
        pixels[i + 2] = (byte) random.nextInt(256);
      }
    }
    return TiffBuilder.rgb(width, height, 0, 0, 0).pixels(pixels).shorts(274, orientation).build();
  }

  private static long checksum(BufferedImage image) {
    CRC32 crc = new CRC32();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        crc.update(p >> 16);
        crc.update(p >> 8);
        crc.update(p);
      }
    }
    return crc.getValue();
  }

  @ParameterizedTest(name = "orientation {0}, max side {1}")
  @CsvSource({
    "1, 299, 299, 199, 0x045ff8f9",
    "1, 640, 640, 427, 0x54e26e00",
    "1, 2000, 900, 600, 0x72edb6f0",
    "2, 299, 299, 199, 0xb0c15425",
    "2, 640, 640, 427, 0x63334461",
    "2, 2000, 900, 600, 0x3e8192c4",
    "3, 299, 299, 199, 0xac4a0517",
    "3, 640, 640, 427, 0xf1cefc0d",
    "3, 2000, 900, 600, 0x07403eab",
    "4, 299, 299, 199, 0x8c58d33e",
    "4, 640, 640, 427, 0xad5c1bd1",
    "4, 2000, 900, 600, 0x3c6b30b6",
    "5, 299, 199, 299, 0x1f3723cf",
    "5, 640, 427, 640, 0xcebef755",
    "5, 2000, 600, 900, 0xe4146306",
    "6, 299, 199, 299, 0x3abc3963",
    "6, 640, 427, 640, 0xaabf4e29",
    "6, 2000, 600, 900, 0x7b2d1514",
    "7, 299, 199, 299, 0x8a9cac3b",
    "7, 640, 427, 640, 0xb8bd4641",
    "7, 2000, 600, 900, 0x837eb0a2",
    "8, 299, 199, 299, 0x44d1c527",
    "8, 640, 427, 640, 0xc533feb9",
    "8, 2000, 600, 900, 0xd8778937",
    "1, 100, 100, 67, 0x864b87bf",
    "3, 100, 100, 67, 0x1799af29",
    "6, 100, 67, 100, 0x7940c30c",
    "7, 100, 67, 100, 0x29013b6e"
  })
  void uprightDecoderGivesWhatItGaveBeforeDelegating(
      int orientation, int maxSide, int width, int height, String crc) {
    BufferedImage image = upright.decode(tiff(orientation), maxSide);
    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(image.getWidth()).isEqualTo(width);
    assertThat(image.getHeight()).isEqualTo(height);
    assertThat(checksum(image)).isEqualTo(Long.decode(crc));
  }
}
