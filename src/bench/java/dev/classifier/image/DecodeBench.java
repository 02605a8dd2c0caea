package dev.classifier.image;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times decode + preprocess of a 640x480 and a 12-megapixel JPEG through the ImageIO path and,
 * where installed, the TurboJPEG path. Not a test (surefire does not pick it up): a main run by
 * hand. Inputs are generated once with ImageMagick (plasma fractal plus sensor-like noise, quality
 * 90, 4:2:0: a 12 MP file of about 3 MB, like a phone photo) unless paths are given as arguments.
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.classifier.image.DecodeBench
 * </pre>
 */
public final class DecodeBench {

  private DecodeBench() {}

  public static void main(String[] args) throws Exception {
    Path[] inputs =
        args.length > 0
            ? Arrays.stream(args).map(Path::of).toArray(Path[]::new)
            : new Path[] {generated(640, 480), generated(4000, 3000)};
    for (boolean useNative : new boolean[] {false, true}) {
      ImagePreprocessor preprocessor = TestImages.preprocessor(useNative);
      if (useNative && !preprocessor.usesNativeJpeg()) {
        System.out.println(
            "TurboJPEG not installed (apt-get install libturbojpeg-java): native path skipped");
        continue;
      }
      System.out.println(useNative ? "TurboJPEG fast path:" : "ImageIO path:");
      bench(preprocessor, inputs);
    }
  }

  private static void bench(ImagePreprocessor preprocessor, Path[] inputs) throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (Path input : inputs) {
      byte[] bytes = Files.readAllBytes(input);
      for (int i = 0; i < 60; i++) {
        preprocessor.prepare(bytes, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF));
      }
      int runs = 30;
      long[] total = new long[runs];
      long[] cpu = new long[runs];
      long[] decode = new long[runs];
      long[] preprocess = new long[runs];
      PreparedImage last = null;
      for (int i = 0; i < runs; i++) {
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        last =
            preprocessor.prepare(
                bytes, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF));
        total[i] = System.nanoTime() - start;
        cpu[i] = threads.getCurrentThreadCpuTime() - cpuStart;
        decode[i] = last.decodeNanos();
        preprocess[i] = last.preprocessNanos();
      }
      // CPU time of the calling thread is the figure that survives a shared, busy machine; wall
      // time is
      // printed too because that is what a request waits.
      System.out.printf(
          "%s %s (%d KB): CPU median %.1f ms (min %.1f) | wall min %.1f / median %.1f / p90 %.1f ms"
              + " | wall median decode %.1f + preprocess %.1f ms%n",
          input.getFileName(),
          last.info(),
          bytes.length / 1024,
          ms(cpu, 50),
          ms(cpu, 0),
          ms(total, 0),
          ms(total, 50),
          ms(total, 90),
          ms(decode, 50),
          ms(preprocess, 50));
    }
  }

  private static double ms(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
  }

  private static Path generated(int width, int height) throws IOException, InterruptedException {
    Path path =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "decode-bench-noisy-" + width + "x" + height + ".jpg");
    if (!Files.exists(path)) {
      Process convert =
          new ProcessBuilder(
                  "convert",
                  "-seed",
                  "7",
                  "-size",
                  width + "x" + height,
                  "plasma:fractal",
                  "-blur",
                  "0x1",
                  "-attenuate",
                  "0.4",
                  "+noise",
                  "Gaussian",
                  "-quality",
                  "90",
                  "-sampling-factor",
                  "2x2",
                  path.toString())
              .inheritIO()
              .start();
      if (convert.waitFor() != 0) {
        throw new IOException("ImageMagick convert failed for " + path);
      }
    }
    return path;
  }
}
