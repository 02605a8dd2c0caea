package dev.classifier.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Coverage-guided fuzzing of decode -> preprocess on arbitrary bytes (Jazzer). The invariant: any
 * byte string gives a PreparedImage or an ImageRejectedException (never another exception, never
 * the memory budget's: one decode at a time always fits a budget sized for one image), within a CPU
 * time bound and an allocation bound, and the budget is empty again afterwards.
 *
 * <p>Plain test runs replay the inputs in {@code src/test/resources/dev/classifier/image/
 * ImageDecodeFuzzTestInputs/decodeAnyBytes} (seeds and every finding); with {@code JAZZER_FUZZ=1}
 * the method is fuzzed ({@code mvn verify} does so for 60 s, see docs/fuzzing.md). {@link
 * #fuzzerTestOneInput} is the same target for Jazzer's standalone driver (bench/fuzz.sh), which is
 * why the class is public.
 */
public class ImageDecodeFuzzTest {

  /** Small enough that each execution is quick, large enough for every code path. */
  static final ImageLimits LIMITS =
      ImageLimits.defaults().withMaxPixels(4_000_000).withMaxDecodeTime(Duration.ofSeconds(2));

  /** Sized for one image: an estimate beyond it is refused (413) rather than reserved. */
  static final long BUDGET = 128L << 20;

  /** CPU time any input may take: the decode limit plus the scan and the resize. */
  static final long MAX_CPU_NANOS = LIMITS.maxDecodeTime().toNanos() + 2_000_000_000L;

  /** Allocation beyond the estimate any input may cause: the scan's own bounded bookkeeping. */
  static final long SCAN_ALLOWANCE = 24L << 20;

  private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
  private static final MemoryBudget MEMORY = new MemoryBudget(BUDGET);
  private static final ImagePreprocessor PREPROCESSOR = new ImagePreprocessor(LIMITS, MEMORY, true);
  private static final ImageDecoder DECODER = new ImageDecoder(LIMITS, true);

  @FuzzTest(maxDuration = "60s")
  void decodeAnyBytes(byte[] bytes) {
    check(bytes);
  }

  /** Entry point for Jazzer's standalone driver. */
  public static void fuzzerTestOneInput(byte[] bytes) {
    check(bytes);
  }

  static void check(byte[] bytes) {
    EncodedImage image = EncodedImage.of(bytes);
    long estimate;
    try {
      estimate = DECODER.plan(image, 299, 299, 0).estimatedBytes();
    } catch (ImageRejectedException e) {
      estimate = 0;
    }
    long classes = CLASSES.getTotalLoadedClassCount();
    Costs.Measured<PreparedImage> measured =
        Costs.of(
            () ->
                PREPROCESSOR.prepare(
                    image, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF)));
    if (CLASSES.getTotalLoadedClassCount() != classes) {
      // Loading (and, while fuzzing, instrumenting) classes is charged to this thread but is not
      // the input's cost: measure a second run, with the classes loaded.
      measured =
          Costs.of(
              () ->
                  PREPROCESSOR.prepare(
                      image, new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF)));
    }
    RuntimeException thrown = measured.thrown();
    if (thrown != null && !(thrown instanceof ImageRejectedException)) {
      throw new AssertionError("neither a PreparedImage nor an ImageRejectedException", thrown);
    }
    if (thrown == null && measured.value().pixels().length != 3 * 299 * 299) {
      throw new AssertionError("tensor of " + measured.value().pixels().length + " floats");
    }
    if (measured.cpuNanos() > MAX_CPU_NANOS) {
      throw new AssertionError(
          "took " + measured.cpuMillis() + " ms of CPU time: " + describe(thrown));
    }
    if (measured.allocatedBytes() > estimate + SCAN_ALLOWANCE) {
      throw new AssertionError(
          String.format(
              "allocated %.1f MiB, estimate %.1f MiB: %s",
              measured.allocatedMib(), estimate / 1048576.0, describe(thrown)));
    }
    if (MEMORY.used() != 0) {
      throw new AssertionError("the budget still holds " + MEMORY.used() + " bytes");
    }
  }

  private static String describe(RuntimeException thrown) {
    return thrown == null ? "accepted" : thrown.getMessage();
  }
}
