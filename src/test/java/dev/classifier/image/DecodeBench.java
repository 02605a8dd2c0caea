package dev.classifier.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times decode + preprocess of a 640x480 and a 12-megapixel JPEG (not a test: a main run by hand, see the
 * package README section of the report). Inputs are generated once with ImageMagick's plasma fractal, which
 * compresses like a photograph, unless paths are given as arguments.
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.classifier.image.DecodeBench
 * </pre>
 */
public final class DecodeBench {

  private DecodeBench() {}

  public static void main(String[] args) throws Exception {
    Path[] inputs = args.length > 0
        ? Arrays.stream(args).map(Path::of).toArray(Path[]::new)
        : new Path[] {generated(640, 480), generated(4000, 3000)};
    ImagePreprocessor preprocessor = new ImagePreprocessor(50_000_000L);
    for (Path input : inputs) {
      byte[] bytes = Files.readAllBytes(input);
      for (int i = 0; i < 60; i++) {
        preprocessor.prepare(bytes, 299, 299, TensorLayout.NHWC);
      }
      int runs = 30;
      long[] total = new long[runs];
      long[] decode = new long[runs];
      long[] preprocess = new long[runs];
      PreparedImage last = null;
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        last = preprocessor.prepare(bytes, 299, 299, TensorLayout.NHWC);
        total[i] = System.nanoTime() - start;
        decode[i] = last.decodeNanos();
        preprocess[i] = last.preprocessNanos();
      }
      System.out.printf("%s %s (%d KB): total median %.1f ms p90 %.1f ms | decode median %.1f ms | "
          + "preprocess median %.1f ms%n", input.getFileName(), last.info(), bytes.length / 1024,
          ms(total, 50), ms(total, 90), ms(decode, 50), ms(preprocess, 50));
    }
  }

  private static double ms(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
  }

  private static Path generated(int width, int height) throws IOException, InterruptedException {
    Path path = Path.of(System.getProperty("java.io.tmpdir"), "decode-bench-" + width + "x" + height + ".jpg");
    if (!Files.exists(path)) {
      Process convert = new ProcessBuilder("convert", "-seed", "7", "-size", width + "x" + height,
          "plasma:fractal", "-blur", "0x1", "-quality", "90", "-sampling-factor", "2x2", path.toString())
          .inheritIO().start();
      if (convert.waitFor() != 0) {
        throw new IOException("ImageMagick convert failed for " + path);
      }
    }
    return path;
  }
}
