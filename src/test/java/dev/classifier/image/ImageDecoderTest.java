package dev.classifier.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  /** The ImageIO path: plan, then decode. */
  private static ImageDecoder.Decoded decode(byte[] bytes, int width, int height) {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults(), false);
    EncodedImage image = EncodedImage.of(bytes);
    return decoder.decode(decoder.plan(image, width, height, 0), image);
  }

  @Test
  void subsamplingFactorIsTheLargestThatKeepsTheSideAtLeastTheTarget() {
    assertEquals(13, ImageDecoder.subsampling(4000, 299));
    assertEquals(10, ImageDecoder.subsampling(3000, 299));
    assertEquals(2, ImageDecoder.subsampling(640, 299));
    assertEquals(1, ImageDecoder.subsampling(480, 299));
    assertEquals(1, ImageDecoder.subsampling(597, 299));
    assertEquals(2, ImageDecoder.subsampling(598, 299));
    assertEquals(1, ImageDecoder.subsampling(100, 299));
  }

  @Test
  void largeJpegIsDecodedAtReducedResolutionNeverBelowTheTarget() {
    byte[] jpeg = TestImages.encode(TestImages.noise(1200, 900, 5), "jpeg");
    ImageDecoder.Decoded decoded = decode(jpeg, 299, 299);
    // Factors 4 (1200 / 299) and 3 (900 / 299): 300 x 300, not 1200 x 900, never below 299 on
    // either side.
    assertEquals(300, decoded.image().getWidth());
    assertEquals(300, decoded.image().getHeight());
    assertEquals(1200, decoded.storedWidth());
    assertEquals(900, decoded.storedHeight());
  }

  @Test
  void subsamplingOfATransposedImageUsesTheTargetSidesItWillBecome() {
    // Orientation 6 turns 64x32 stored into 32x64 displayed: a 30x10 target becomes 10x30 on the
    // stored
    // image, so the factors are 64 / 10 = 6 and 32 / 30 = 1, where the untransposed sides would
    // give 2 and 3.
    ImageDecoder.Decoded decoded = decode(TestImages.fixture("orient-6.jpg"), 30, 10);
    assertEquals(6, decoded.orientation());
    assertEquals(11, decoded.image().getWidth());
    assertEquals(32, decoded.image().getHeight());
  }

  @Test
  void formatsAreSniffedFromBytesNotNames() {
    byte[] png = TestImages.encode(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png");
    assertEquals(ImageFormat.PNG, ImageFormat.sniff(png));
    assertEquals(ImageFormat.WEBP, ImageFormat.sniff(TestImages.fixture("lossy.webp")));
    assertEquals(ImageFormat.TIFF, ImageFormat.sniff(TestImages.fixture("orient-6.tif")));
    assertEquals(ImageFormat.GIF, ImageFormat.sniff(TestImages.fixture("animated.gif")));
    assertEquals(ImageFormat.JPEG, ImageFormat.sniff(TestImages.fixture("cmyk.jpg")));
  }
}
