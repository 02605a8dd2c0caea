package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Maps are in the orientation a person sees: a JPEG stored sideways with EXIF orientation 6 gets
 * the map of its upright picture, not of its stored pixels.
 *
 * <p>The JPEG is made so that every decoder reads it exactly: grey (no chroma upsampling), quality
 * 1.0, and flat on every 8 × 8 block (only DC coefficients, which any IDCT, libjpeg-turbo's fast
 * one included, reconstructs exactly); its stored width is the model's 16, so no reduced DCT scale
 * applies either. The references made from ImageIO's decode are then the very pixels the service
 * decodes.
 */
class ExplainOrientationTest extends TinyModelServer {

  private static final int WIDTH = 32;
  private static final int HEIGHT = 16;

  /**
   * Upright: a bright 8 × 8 square at the top of the left half of a grey landscape picture; stored
   * for orientation 6 it falls on one JPEG block.
   */
  private static BufferedImage upright() {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        boolean square = x >= 8 && x < 16 && y < 8;
        image.getRaster().setSample(x, y, 0, square ? 250 : 150);
      }
    }
    return image;
  }

  /**
   * EXIF orientation 6 shows stored pixel (y, storedHeight - 1 - x) at (x, y): the inverse, to
   * store an upright picture that way.
   */
  private static BufferedImage storedForOrientation6(BufferedImage upright) {
    int w = upright.getWidth();
    int h = upright.getHeight();
    BufferedImage stored = new BufferedImage(h, w, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        stored.getRaster().setSample(y, w - 1 - x, 0, upright.getRaster().getSample(x, y, 0));
      }
    }
    return stored;
  }

  private static BufferedImage uprightFromOrientation6(BufferedImage stored) {
    int w = stored.getHeight();
    int h = stored.getWidth();
    BufferedImage upright = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        upright.getRaster().setSample(x, y, 0, stored.getRaster().getSample(y, w - 1 - x, 0));
      }
    }
    return upright;
  }

  private static byte[] losslessJpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(1.0f);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A JPEG with an APP1 Exif segment (big-endian TIFF, one IFD entry: Orientation = 6). */
  private static byte[] withOrientation6(byte[] jpeg) {
    byte[] tiff = {
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // header, IFD0 at offset 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      6,
      0,
      0, // tag 274 SHORT count 1 value 6
      0,
      0,
      0,
      0 // no next IFD
    };
    int length = 2 + 6 + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // After SOI and the JFIF APP0 segment ImageIO writes first.
    int app0End = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
    out.write(jpeg, 0, app0End);
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
    out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(tiff);
    out.write(jpeg, app0End, jpeg.length - app0End);
    return out.toByteArray();
  }

  @Test
  void anExifRotatedJpegGetsTheMapOfItsUprightPicture() throws IOException {
    byte[] plain = losslessJpeg(storedForOrientation6(upright()));
    byte[] rotated = withOrientation6(plain);
    // References from the very pixels stored in the JPEG, losslessly: upright, and as stored.
    BufferedImage stored = ImageIO.read(new ByteArrayInputStream(plain));
    byte[] uprightPng = TestImages.encode(uprightFromOrientation6(stored), "png");
    byte[] storedPng = TestImages.encode(stored, "png");

    JsonNode fromExif = result(rotated);
    double[] exifMap = normalised(fromExif);
    double[] uprightMap = normalised(result(uprightPng));
    double[] storedMap = normalised(result(storedPng));

    assertThat(fromExif.at("/image/width").asInt()).isEqualTo(WIDTH);
    assertThat(fromExif.at("/image/height").asInt()).isEqualTo(HEIGHT);
    // The square's map cells (columns 4..7 of 16, rows 0..7) are hot, the rest cold.
    assertThat(exifMap[4 * SIZE + 5]).isEqualTo(1.0);
    assertThat(exifMap[12 * SIZE + 12]).isEqualTo(0.0);
    // Float rounding only: the same pixels, resized then oriented rather than the other way.
    assertThat(maxDifference(exifMap, uprightMap)).isLessThan(1e-4);
    assertThat(maxDifference(exifMap, storedMap)).isGreaterThan(0.9);
  }

  private JsonNode result(byte[] image) {
    HttpResponse<String> response =
        new HttpTestClient(port)
            .postRaw("/v1/classify?topK=1&explain=true", "application/octet-stream", image);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return HttpTestClient.json(response).at("/results/0");
  }

  /** The top-1 map scaled to 0..1 by its own min and max: what the page and the PNG show. */
  private static double[] normalised(JsonNode result) {
    JsonNode map = result.at("/predictions/0/map");
    double min = map.get("min").asDouble();
    double range = map.get("max").asDouble() - min;
    double[] values = new double[SIZE * SIZE];
    for (int i = 0; i < values.length; i++) {
      values[i] = (map.get("values").get(i).asDouble() - min) / range;
    }
    return values;
  }

  private static double maxDifference(double[] a, double[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
