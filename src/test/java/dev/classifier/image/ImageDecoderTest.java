package dev.classifier.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  @Test
  void subsamplingFactorIsTheLargestThatKeepsBothSidesAtLeastTheTarget() {
    assertEquals(10, ImageDecoder.subsampling(4000, 3000, 299, 299));
    assertEquals(1, ImageDecoder.subsampling(640, 480, 299, 299));
    assertEquals(3, ImageDecoder.subsampling(1280, 960, 299, 299));
    assertEquals(1, ImageDecoder.subsampling(597, 4000, 299, 299));
    assertEquals(1, ImageDecoder.subsampling(100, 100, 299, 299));
  }

  @Test
  void largeJpegIsDecodedAtReducedResolutionNeverBelowTheTarget() {
    byte[] jpeg = TestImages.encode(TestImages.noise(1200, 900, 5), "jpeg");
    ImageDecoder.Decoded decoded = new ImageDecoder(50_000_000L).decode(jpeg, ImageFormat.JPEG, 299, 299);
    // Factor 3 (900 / 299): 400 x 300, not 1200 x 900 and not smaller than 299 on either side.
    assertEquals(400, decoded.image().getWidth());
    assertEquals(300, decoded.image().getHeight());
    assertEquals(1200, decoded.storedWidth());
    assertEquals(900, decoded.storedHeight());
  }

  @Test
  void subsamplingOfATransposedImageUsesTheTargetSidesItWillBecome() {
    // Orientation 6 turns 64x32 stored into 32x64 displayed: a 30x10 target becomes 10x30 on the stored
    // image, so the factor is min(64 / 10, 32 / 30) = 1, where the untransposed sides would give 3.
    ImageDecoder.Decoded decoded = new ImageDecoder(50_000_000L)
        .decode(TestImages.fixture("orient-6.jpg"), ImageFormat.JPEG, 30, 10);
    assertEquals(6, decoded.orientation());
    assertEquals(64, decoded.image().getWidth());
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
