package dev.classifier.image;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the native part of the decode estimate, which heap allocation counters cannot see: decodes
 * one JPEG in a JVM whose heap is committed and touched up front, so that the growth of the peak
 * resident set is native memory (libjpeg's coefficient buffer, TurboJPEG), and prints it next to
 * the estimate. Not a test: a main run by hand, one JPEG per JVM.
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     dev.classifier.image.NativeMemoryBench native|imageio FILE.jpg|synthetic50mp
 * </pre>
 */
public final class NativeMemoryBench {

  private NativeMemoryBench() {}

  /** Peak resident set size of this process so far. */
  static long hwm() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  public static void main(String[] a) throws Exception {
    boolean nat = a[0].equals("native");
    byte[] bytes =
        a[1].startsWith("synthetic")
            ? SyntheticJpegs.grey(8000, 6250, SyntheticJpegs.fullRefinement(2))
            : Files.readAllBytes(Path.of(a[1]));
    ImageLimits limits = ImageLimits.defaults();
    ImagePreprocessor p = new ImagePreprocessor(limits, new MemoryBudget(Long.MAX_VALUE), nat);
    p.prepare(
        TestImages.encode(TestImages.noise(640, 480, 1), "jpeg"),
        new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF));
    p.prepare(
        SyntheticJpegs.grey(640, 480, SyntheticJpegs.fullRefinement(2)),
        new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF));
    long before = hwm();
    long est =
        new ImageDecoder(limits, nat).plan(EncodedImage.of(bytes), 299, 299, 0).estimatedBytes();
    var m =
        Costs.of(
            () -> p.prepare(bytes, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF)));
    long after = hwm();
    System.out.printf(
        "%s %s: estimate %.1f MiB, heap allocated %.1f MiB, peak RSS growth %.1f MiB, cpu %.0f ms %s%n",
        a[0],
        a[1],
        est / 1048576.0,
        m.allocatedMib(),
        (after - before) / 1048576.0,
        m.cpuMillis(),
        m.thrown() == null ? "" : m.thrown());
  }
}
