package dev.classifier.model.build;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of what build-model --keras reads before any weight: the {@code .keras}
 * archive (zip) and the model config in it (JSON), then the architecture recognised from it. The
 * invariant: any byte string gives a plan or a {@link KerasWeightsException} (never another
 * exception), within a CPU time bound.
 *
 * <p>Plain test runs replay the inputs in {@code src/test/resources/dev/classifier/model/build/
 * KerasFuzzTestInputs/readAnyBytes} (seeds and every finding); with {@code JAZZER_FUZZ=1} the
 * method is fuzzed ({@code mvn verify} does so for 60 s, as for the image decoders).
 */
public class KerasFuzzTest {

  /** CPU time any input may take: the archive's bounded reads and one pass over the config. */
  static final long MAX_CPU_NANOS = 2_000_000_000L;

  private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Path FILE = temporaryFile();

  @FuzzTest(maxDuration = "60s")
  void readAnyBytes(byte[] bytes) {
    check(bytes);
  }

  /** Entry point for Jazzer's standalone driver. */
  public static void fuzzerTestOneInput(byte[] bytes) {
    check(bytes);
  }

  static void check(byte[] bytes) {
    long classes = CLASSES.getTotalLoadedClassCount();
    long cpu = cpuOf(bytes);
    if (CLASSES.getTotalLoadedClassCount() != classes) {
      // loading (and, while fuzzing, instrumenting) classes is charged to this thread but is not
      // the input's cost: measure a second run, with the classes loaded
      cpu = cpuOf(bytes);
    }
    if (cpu > MAX_CPU_NANOS) {
      throw new AssertionError("took " + cpu / 1_000_000 + " ms of CPU");
    }
  }

  private static long cpuOf(byte[] bytes) {
    long start = THREADS.getCurrentThreadCpuTime();
    try {
      byte[] config = bytes;
      if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K') {
        Files.write(FILE, bytes);
        config = KerasArchive.config(FILE);
      }
      KerasArchitecture.recognise(KerasConfig.parse(config));
    } catch (KerasWeightsException e) {
      // the one way to refuse a file
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return THREADS.getCurrentThreadCpuTime() - start;
  }

  private static Path temporaryFile() {
    try {
      Path file = Files.createTempFile("keras-fuzz-", ".keras");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
