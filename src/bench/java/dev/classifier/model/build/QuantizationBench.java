package dev.classifier.model.build;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.image.TensorLayout;
import dev.classifier.model.compare.CompareModelsCommand;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * FP32 against INT8 Xception (synthetic weights, seed 42) in raw ONNX Runtime: file sizes, session
 * creation, {@code session.run} at batch 1 and 4 with 2 intra-op threads, and {@code
 * compare-models} on 48 generated textures that calibration never saw. Not a test (surefire does
 * not pick it up): a main run by hand, in a JVM of its own so that it creates ONNX Runtime's
 * environment. Both models run alternately in the same process, so their ratio holds on a busy
 * machine even where the absolute times do not.
 *
 * <pre>
 * mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * CLASSPATH=target/test-classes:target/classes:$(cat target/cp.txt) \
 *     java dev.classifier.model.build.QuantizationBench [shared|per-session][-speed] [percentile ...]
 * </pre>
 *
 * (The class path goes in the environment: ONNX Runtime 1.29 crashes on a command line over 4 KB.)
 */
public final class QuantizationBench {

  private static final int THREADS = 2;
  private static final int RUNS = 30;
  private static final Path DIR = Path.of("target", "bench-int8");
  private static final com.sun.management.OperatingSystemMXBean CPU =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private QuantizationBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "shared" : args[0];
    boolean shared = mode.startsWith("shared");
    boolean compare = !mode.endsWith("-speed");
    OrtRuntime runtime =
        shared
            ? OrtRuntime.create(THREADS)
            : new OrtRuntime(OrtEnvironment.getEnvironment(), THREADS, false);
    System.out.println("threads: " + runtime.describe());
    Files.createDirectories(DIR);
    Path fp32 = DIR.resolve("xception-fp32.onnx");
    if (!Files.exists(fp32)) {
      new XceptionModelBuilder(System.out::println).synthetic(42, fp32);
    }
    Path images = DIR.resolve("textures");
    if (!Files.isDirectory(images)) {
      Files.createDirectories(images);
      for (int i = 0; i < 48; i++) {
        Files.write(
            images.resolve(String.format("texture-%02d.png", i)),
            CalibrationImages.GeneratedTextures.png(1000 + i));
      }
    }
    String[] percentiles =
        args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[] {"99.999"};
    for (String percentile : percentiles) {
      Path int8 = DIR.resolve("xception-int8-p" + percentile + ".onnx");
      if (!Files.exists(int8)) {
        long start = System.nanoTime();
        new XceptionModelBuilder(System.out::println)
            .synthetic(
                42,
                int8,
                Optional.of(
                    new XceptionModelBuilder.Int8Options(
                        runtime,
                        CalibrationImages.generated(BuildModelCommand.GENERATED_IMAGES),
                        Double.parseDouble(percentile))));
        System.out.printf("built in %.1f s%n", (System.nanoTime() - start) / 1e9);
      }
      System.out.printf(
          "%nfile sizes: fp32 %.1f MB, int8 (p %s) %.1f MB%n",
          Files.size(fp32) / 1e6, percentile, Files.size(int8) / 1e6);
      if (percentile.equals(percentiles[0])) {
        speed(runtime, fp32, int8);
      }
      if (!compare) {
        continue;
      }
      System.out.println();
      new CompareModelsCommand(System.out, System.err, threads -> runtime)
          .run(
              "--reference", fp32.toString(),
              "--candidate", int8.toString(),
              "--images", images.toString(),
              "--threads", Integer.toString(THREADS));
    }
  }

  private static void speed(OrtRuntime runtime, Path fp32, Path int8) throws Exception {
    long[][] create = new long[2][5];
    for (int r = 0; r < 5; r++) {
      for (int m = 0; m < 2; m++) {
        try (OrtSession.SessionOptions options = runtime.sessionOptions()) {
          long start = System.nanoTime();
          try (OrtSession s =
              runtime.environment().createSession((m == 0 ? fp32 : int8).toString(), options)) {
            create[m][r] = System.nanoTime() - start;
          }
        }
      }
    }
    System.out.printf(
        "session creation, median of 5 alternating: fp32 %.0f ms, int8 %.0f ms%n",
        median(create[0]) / 1e6, median(create[1]) / 1e6);
    ImagePreprocessor preprocessor = ImageFolder.preprocessor();
    float[] batch = new float[4 * 299 * 299 * 3];
    for (int i = 0; i < 4; i++) {
      float[] image =
          preprocessor
              .prepare(
                  CalibrationImages.GeneratedTextures.png(2000 + i),
                  new InputSpec(299, 299, TensorLayout.NHWC, Normalization.TF))
              .pixels();
      System.arraycopy(image, 0, batch, i * image.length, image.length);
    }
    try (OrtSession.SessionOptions o1 = runtime.sessionOptions();
        OrtSession.SessionOptions o2 = runtime.sessionOptions();
        OrtSession f = runtime.environment().createSession(fp32.toString(), o1);
        OrtSession q = runtime.environment().createSession(int8.toString(), o2)) {
      for (int size : new int[] {1, 4}) {
        run(runtime, f, batch, size);
        run(runtime, q, batch, size);
        long[][] tf = new long[2][RUNS];
        long[][] tq = new long[2][RUNS];
        for (int r = 0; r < RUNS; r++) {
          if (r % 2 == 0) {
            run(runtime, f, batch, size, tf, r);
            run(runtime, q, batch, size, tq, r);
          } else {
            run(runtime, q, batch, size, tq, r);
            run(runtime, f, batch, size, tf, r);
          }
        }
        System.out.printf(
            "session.run batch %d, %d alternating runs: wall median fp32 %.1f ms, int8 %.1f ms, ratio"
                + " %.2f; process CPU mean fp32 %.1f ms, int8 %.1f ms, ratio %.2f%n",
            size,
            RUNS,
            median(tf[0]) / 1e6,
            median(tq[0]) / 1e6,
            (double) median(tf[0]) / median(tq[0]),
            mean(tf[1]) / 1e6,
            mean(tq[1]) / 1e6,
            mean(tf[1]) / mean(tq[1]));
      }
    }
  }

  /**
   * Records the run's wall-clock time in {@code times[0][i]} and the CPU time of the whole process
   * (ONNX Runtime's pool threads included) in {@code times[1][i]}: on a shared machine the CPU time
   * does not count the time other processes held the CPUs.
   */
  private static void run(
      OrtRuntime runtime, OrtSession session, float[] batch, int size, long[][] times, int i)
      throws OrtException {
    FloatBuffer input = FloatBuffer.wrap(batch, 0, size * 299 * 299 * 3).slice();
    long cpu = CPU.getProcessCpuTime();
    long start = System.nanoTime();
    run(runtime, session, input, size);
    times[0][i] = System.nanoTime() - start;
    times[1][i] = CPU.getProcessCpuTime() - cpu;
  }

  private static void run(OrtRuntime runtime, OrtSession session, float[] batch, int size)
      throws OrtException {
    run(runtime, session, FloatBuffer.wrap(batch, 0, size * 299 * 299 * 3).slice(), size);
  }

  private static void run(OrtRuntime runtime, OrtSession session, FloatBuffer input, int size)
      throws OrtException {
    try (OnnxTensor t =
            OnnxTensor.createTensor(runtime.environment(), input, new long[] {size, 299, 299, 3});
        OrtSession.Result r = session.run(Map.of("input_1", t))) {
      // only timed
    }
  }

  /** The process CPU clock ticks in 10 ms steps here: a mean over the runs resolves it. */
  private static double mean(long[] v) {
    return Arrays.stream(v).average().orElse(0);
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return (s[s.length / 2] + s[(s.length - 1) / 2]) / 2;
  }
}
