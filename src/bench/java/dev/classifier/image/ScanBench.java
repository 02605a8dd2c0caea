package dev.classifier.image;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Thread CPU time of the structure scan and estimate alone (ImageDecoder.plan: sniff, scan,
 * estimate; no decoding) per file. Not a test: a main run by hand.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.classifier.image.ScanBench FILE...
 * </pre>
 */
public final class ScanBench {

  private ScanBench() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults(), true);
    for (String arg : args) {
      EncodedImage image = EncodedImage.of(Files.readAllBytes(Path.of(arg)));
      for (int i = 0; i < 20_000; i++) {
        decoder.plan(image, 299, 299, 0);
      }
      int runs = 20_000;
      long cpu = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < runs; i++) {
        decoder.plan(image, 299, 299, 0);
      }
      double micros = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / runs;
      System.out.printf("%s (%d KB): plan %.2f us CPU%n", arg, image.length() / 1024, micros);
    }
  }
}
