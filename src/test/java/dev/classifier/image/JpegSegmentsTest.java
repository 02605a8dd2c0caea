package dev.classifier.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JpegSegmentsTest {

  /** Inserts an APP2 ICC_PROFILE segment right after SOI. */
  private static byte[] withProfile(byte[] jpeg, byte[] profile) {
    byte[] id = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xFF);
    out.write(0xE2);
    out.writeBytes(
        ByteBuffer.allocate(2).putShort((short) (2 + id.length + 2 + profile.length)).array());
    out.writeBytes(id);
    out.write(1);
    out.write(1);
    out.writeBytes(profile);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  @Test
  void plainJpegNeedsNoColourManagement() {
    byte[] jpeg = TestImages.encode(TestImages.solid(8, 8, TestImages.RED), "jpeg");
    assertEquals(new JpegSegments(1, false), JpegSegments.read(jpeg));
  }

  @Test
  void embeddedSrgbProfileNeedsNoColourManagement() {
    byte[] jpeg = TestImages.encode(TestImages.solid(8, 8, TestImages.RED), "jpeg");
    byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
    assertEquals(new JpegSegments(1, false), JpegSegments.read(withProfile(jpeg, srgb)));
  }

  @Test
  void embeddedAdobeRgbOrLinearProfileNeedsColourManagement() {
    assertEquals(new JpegSegments(1, true), JpegSegments.read(TestImages.fixture("adobe-rgb.jpg")));
    byte[] jpeg = TestImages.encode(TestImages.solid(8, 8, TestImages.RED), "jpeg");
    byte[] linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    assertEquals(new JpegSegments(1, true), JpegSegments.read(withProfile(jpeg, linear)));
  }

  @Test
  void exifOrientationIsRead() {
    for (int orientation = 1; orientation <= 8; orientation++) {
      assertEquals(
          orientation,
          JpegSegments.read(TestImages.fixture("orient-" + orientation + ".jpg")).orientation());
    }
  }

  @Test
  void linearProfileIsAppliedNotIgnored() {
    // Linear-light 128 is sRGB ~188: a decoder that ignored the profile would report 128.
    byte[] jpeg = TestImages.encode(TestImages.solid(16, 16, 0x808080), "jpeg");
    byte[] linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    PreparedImage image =
        TestImages.preprocessor(true)
            .prepare(
                withProfile(jpeg, linear),
                new InputSpec(4, 4, TensorLayout.NHWC, Normalization.TF));
    float level = TestImages.levelsAt(image, 1, 1, 4, 4, TensorLayout.NHWC)[1];
    assertEquals(188f, level, 4f);
  }
}
