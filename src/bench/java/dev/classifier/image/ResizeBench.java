package dev.classifier.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * Resize + normalise of a decoded 640x480 JPEG into a 299x299 NHWC tensor, single thread, before
 * (the {@link ReferenceResize} oracle) and after (the pipeline's own path), in one JVM so that both
 * see the same machine. Per call: thread CPU time (median and minimum of rounds) and heap bytes
 * allocated. Not a test: a main run by hand.
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.classifier.image.ResizeBench
 * </pre>
 */
public final class ResizeBench {

  private static final int ROUNDS = 15;
  private static final int CALLS = 40;

  private ResizeBench() {}

  public static void main(String[] args) throws IOException {
    // A photo-like JPEG decoded by ImageIO: TYPE_3BYTE_BGR, what both decode paths hand over.
    BufferedImage decoded =
        ImageIO.read(new java.io.ByteArrayInputStream(TestImages.encode(photo(640, 480), "jpeg")));
    int orientation = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    Function<BufferedImage, float[]> before =
        image ->
            ReferenceResize.tensor(new SrgbRows(image), orientation, 299, 299, TensorLayout.NHWC);
    Function<BufferedImage, float[]> after = image -> after(image, orientation);
    if (!Arrays.equals(before.apply(decoded), after.apply(decoded))) {
      throw new AssertionError("after differs from before");
    }
    for (int i = 0; i < 3000; i++) {
      before.apply(decoded);
      after.apply(decoded);
    }
    long[][] cpu = new long[2][ROUNDS];
    long[][] allocated = new long[2][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      for (int which = 0; which < 2; which++) {
        Function<BufferedImage, float[]> work = which == 0 ? before : after;
        Costs.Measured<Object> m =
            Costs.of(
                () -> {
                  for (int i = 0; i < CALLS; i++) {
                    work.apply(decoded);
                  }
                  return null;
                });
        cpu[which][round] = m.cpuNanos() / CALLS;
        allocated[which][round] = m.allocatedBytes() / CALLS;
      }
    }
    for (int which = 0; which < 2; which++) {
      long[] c = cpu[which].clone();
      Arrays.sort(c);
      long[] a = allocated[which].clone();
      Arrays.sort(a);
      System.out.printf(
          "%s: CPU median %.3f ms (min %.3f) per call, %.3f MB allocated per call%n",
          which == 0 ? "before" : "after ", c[ROUNDS / 2] / 1e6, c[0] / 1e6, a[ROUNDS / 2] / 1e6);
    }
  }

  private static float[] after(BufferedImage image, int orientation) {
    SrgbRows rows = new SrgbRows(image);
    TensorWriter tensor =
        new TensorWriter(orientation, 299, 299, TensorLayout.NHWC, Normalization.TF);
    Resampler.resize(
        rows,
        new Resampler(
            rows.width(), rows.height(), tensor.storedWidth(), tensor.storedHeight(), tensor));
    return tensor.tensor();
  }

  /** Smooth gradients with fine noise, so the JPEG decodes to varied, photo-like samples. */
  private static BufferedImage photo(int width, int height) {
    BufferedImage image = TestImages.noise(width, height, 5);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int n = image.getRGB(x, y);
        int r = (x * 255 / width + (n >> 16 & 0x1F)) & 0xFF;
        int g = (y * 255 / height + (n >> 8 & 0x1F)) & 0xFF;
        int b = ((x + y) * 255 / (width + height) + (n & 0x1F)) & 0xFF;
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return image;
  }
}
