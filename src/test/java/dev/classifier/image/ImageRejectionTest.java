package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.Reason.CORRUPT;
import static dev.classifier.image.ImageRejectedException.Reason.TOO_MANY_PIXELS;
import static dev.classifier.image.ImageRejectedException.Reason.UNSUPPORTED_FORMAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.classifier.image.ImageRejectedException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad input ends as an ImageRejectedException with the right reason: no other exception, no
 * hang.
 */
@Timeout(120)
class ImageRejectionTest {

  private static final int SIZE = 299;
  private final ImagePreprocessor preprocessor = TestImages.preprocessor(true);

  /**
   * Where TurboJPEG is installed the default takes the native path for JPEGs; this one never does.
   */
  private final ImagePreprocessor imageIoOnly = TestImages.preprocessor(false);

  /** Both decode paths must refuse the bytes, for the same reason. */
  private Reason rejection(byte[] bytes) {
    Reason reason =
        assertThrows(
                ImageRejectedException.class,
                () ->
                    preprocessor.prepare(
                        bytes, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF)))
            .reason();
    Reason viaImageIo =
        assertThrows(
                ImageRejectedException.class,
                () ->
                    imageIoOnly.prepare(
                        bytes, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF)))
            .reason();
    assertEquals(reason, viaImageIo, "native and ImageIO paths disagree");
    return reason;
  }

  @AfterEach
  void stillServesAGoodImageAfterwards() {
    byte[] png = TestImages.encode(TestImages.solid(20, 20, TestImages.BLUE), "png");
    assertEquals(
        1f,
        preprocessor.prepare(png, new InputSpec(SIZE, SIZE, TensorLayout.NCHW, Normalization.TF))
            .pixels()[2 * SIZE * SIZE]);
  }

  @Test
  void nonImagesAreUnsupported() {
    assertEquals(UNSUPPORTED_FORMAT, rejection(new byte[0]));
    assertEquals(UNSUPPORTED_FORMAT, rejection("hello".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        UNSUPPORTED_FORMAT,
        rejection("<!DOCTYPE html><html></html>".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        UNSUPPORTED_FORMAT, rejection("%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1)));
    // HEIC is an image, but not one this service decodes.
    assertEquals(
        UNSUPPORTED_FORMAT,
        rejection(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}));
  }

  /**
   * Noise images, so every cut lands inside pixel data; fixtures for the formats Java cannot write.
   */
  private static Map<String, byte[]> samplesOfEveryFormat() {
    Map<String, byte[]> samples = new LinkedHashMap<>();
    for (String format : new String[] {"jpeg", "png", "gif", "bmp", "tiff"}) {
      samples.put(format, TestImages.encode(TestImages.noise(120, 90, 7), format));
    }
    samples.put("progressive.jpg", TestImages.fixture("progressive.jpg"));
    samples.put("cmyk.jpg", TestImages.fixture("cmyk.jpg"));
    samples.put("rgb16.png", TestImages.fixture("rgb16.png"));
    samples.put("lossy.webp", TestImages.fixture("lossy.webp"));
    samples.put("lossless.webp", TestImages.fixture("lossless.webp"));
    return samples;
  }

  @Test
  void truncatedFilesOfEveryFormatAreCorruptAtEveryCut() {
    for (Map.Entry<String, byte[]> sample : samplesOfEveryFormat().entrySet()) {
      byte[] bytes = sample.getValue();
      for (int eighth = 1; eighth <= 7; eighth++) {
        int cut = Math.max(16, bytes.length * eighth / 8);
        assertEquals(
            CORRUPT, rejection(Arrays.copyOf(bytes, cut)), sample.getKey() + " cut at " + cut);
      }
    }
  }

  @Test
  void randomBytesAfterAValidMagicNumberAreRejectedAsImagesNeverCrash() {
    // Random header fields may claim any size, so TOO_MANY_PIXELS is as right as CORRUPT; what must
    // never
    // happen is acceptance, UNSUPPORTED_FORMAT (the magic is right) or any other exception.
    Random random = new Random(42);
    for (Map.Entry<String, byte[]> sample : samplesOfEveryFormat().entrySet()) {
      int magic = sample.getKey().endsWith("webp") ? 16 : 8;
      for (int round = 0; round < 25; round++) {
        byte[] junk = new byte[magic + 1 + random.nextInt(4000)];
        System.arraycopy(sample.getValue(), 0, junk, 0, magic);
        for (int i = magic; i < junk.length; i++) {
          junk[i] = (byte) random.nextInt();
        }
        if (sample.getKey().endsWith("webp")) {
          // Keep the RIFF length honest so the decoder, not the container check, meets the noise.
          ByteBuffer.wrap(junk, 4, 4)
              .order(java.nio.ByteOrder.LITTLE_ENDIAN)
              .putInt(junk.length - 8);
        }
        Reason reason = rejection(junk);
        assertTrue(
            Set.of(CORRUPT, TOO_MANY_PIXELS).contains(reason), sample.getKey() + " round " + round);
      }
    }
  }

  @Test
  void pngHeaderClaiming100000By100000IsRefusedFromTheHeaderAlone() {
    // No pixel data follows the header: only a check made before decoding can answer
    // TOO_MANY_PIXELS.
    assertEquals(TOO_MANY_PIXELS, rejection(pngHeaderOnly(100_000, 100_000)));
  }

  @Test
  void jpegClaiming65000By65000IsRefusedBeforeDecoding() {
    byte[] jpeg = TestImages.encode(TestImages.noise(64, 48, 1), "jpeg");
    int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
    // SOF0: marker, length (2), precision (1), height (2), width (2).
    ByteBuffer.wrap(jpeg, sof + 5, 4).putShort((short) 65000).putShort((short) 65000);
    assertEquals(TOO_MANY_PIXELS, rejection(jpeg));
  }

  @Test
  void pixelLimitIsInclusive() {
    ImagePreprocessor small =
        new ImagePreprocessor(
            ImageLimits.defaults().withMaxPixels(100), new MemoryBudget(Long.MAX_VALUE));
    byte[] tenByTen = TestImages.encode(TestImages.solid(10, 10, TestImages.RED), "png");
    byte[] elevenByTen = TestImages.encode(TestImages.solid(11, 10, TestImages.RED), "png");
    assertEquals(
        new ImageInfo("png", 10, 10),
        small
            .prepare(tenByTen, new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF))
            .info());
    assertEquals(
        TOO_MANY_PIXELS,
        assertThrows(
                ImageRejectedException.class,
                () ->
                    small.prepare(
                        elevenByTen,
                        new InputSpec(SIZE, SIZE, TensorLayout.NHWC, Normalization.TF)))
            .reason());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void zeroSizedPngIsCorrupt(int zeroSide) {
    assertEquals(CORRUPT, rejection(pngHeaderOnly(zeroSide == 0 ? 0 : 10, zeroSide == 0 ? 10 : 0)));
  }

  @Test
  void zeroSizedGifFrameIsCorrupt() {
    byte[] gif = {
      'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, 0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2,
      0x4C, 0x01, 0, 0x3B
    };
    assertEquals(CORRUPT, rejection(gif));
  }

  @Test
  void gifWithNoFramesIsCorrupt() {
    // Header, 1x1 logical screen without colour table, trailer: a valid start and nothing to show.
    byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, 0x3B};
    assertEquals(CORRUPT, rejection(gif));
  }

  private static byte[] pngHeaderOnly(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static int indexOf(byte[] bytes, byte a, byte b) {
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == a && bytes[i + 1] == b) {
        return i;
      }
    }
    throw new AssertionError("marker not found");
  }
}
