package dev.classifier.model.build;

import dev.classifier.model.ModelMetadata;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code build-model} command: writes the Xception ONNX model from a Keras file (Keras 3 {@code
 * .keras} or {@code .weights.h5}, Keras 2 h5), from ImageNet's Keras 2 weights file, or from
 * deterministic synthetic weights, in float or calibrated INT8, without starting the service.
 */
public final class BuildModelCommand {

  static final String USAGE =
      """
      usage: build-model (--weights <xception_weights_tf_dim_ordering_tf_kernels.h5> | --synthetic [--seed <n>]
                          | --keras <my.keras | my.weights.h5 | keras2.h5>)
        --keras only:    [--config <my.keras | config.json>]  (architecture of a .weights.h5; default: <name>.keras beside it)
                         [--labels <file>]            (class names, one per line, stored in the model; default class_0...)
                         [--preprocessing tf|torch|caffe|raw] (input scaling of a model without Rescaling/Normalization layers; default tf)
                         [--precision fp32|int8]      (default fp32)
                         [--output <file>]            (default models/xception.onnx, models/xception-int8.onnx for int8)
        int8 only:       [--calibration <folder>]     (photos like the ones the service will see; default: generated textures)
                         [--calibration-images <n>]   (the most images used; default %d from a folder, %d generated)
                         [--percentile <p>]           (activation ranges cut at the p-th percentile; default %s)
                         [--threads <n>]              (ONNX Runtime threads for calibration; default: all CPUs)"""
          .formatted(
              BuildModelCommand.FOLDER_IMAGES,
              BuildModelCommand.GENERATED_IMAGES,
              Int8Quantizer.plain(Int8Quantizer.DEFAULT_PERCENTILE));

  /**
   * Default calibration images taken from a folder: Xception's smallest feature maps (19 × 19 ×
   * 728) then hold 67 million values over all images, so their 99.999th percentile rests on
   * hundreds of values, not on a few.
   */
  static final int FOLDER_IMAGES = 256;

  /** Default generated calibration images: about ten seconds of float runs on 2 CPUs. */
  static final int GENERATED_IMAGES = 32;

  private final PrintStream out;
  private final PrintStream err;

  public BuildModelCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  private record Arguments(
      Path weights,
      Path keras,
      Path config,
      Path labels,
      String preprocessing,
      boolean synthetic,
      long seed,
      String precision,
      Path output,
      Path calibration,
      Integer calibrationImages,
      double percentile,
      int threads) {}

  /**
   * @param args the arguments after {@code build-model} @return the process exit code
   */
  public int run(String... args) {
    Arguments a;
    try {
      a = parse(args);
      if (a == null) {
        out.println(USAGE);
        return 0;
      }
    } catch (IllegalArgumentException e) {
      err.println("build-model: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    long start = System.nanoTime();
    try {
      for (Path file : new Path[] {a.weights(), a.keras(), a.config(), a.labels()}) {
        if (file != null && !Files.isRegularFile(file)) {
          err.println("build-model: no such file " + file);
          return 1;
        }
      }
      Optional<XceptionModelBuilder.Int8Options> int8 = Optional.empty();
      if (a.precision().equals(ModelMetadata.INT8)) {
        // first use of ONNX Runtime in the process: its environment and thread pool are made here
        OrtRuntime runtime = OrtRuntime.create(a.threads());
        int8 =
            Optional.of(new XceptionModelBuilder.Int8Options(runtime, images(a), a.percentile()));
      }
      XceptionModelBuilder builder = new XceptionModelBuilder(out::println);
      XceptionModelBuilder.Result result;
      if (a.keras() != null) {
        result =
            builder.fromKeras(
                a.keras(),
                Optional.ofNullable(a.config()),
                Optional.ofNullable(a.labels()),
                Optional.ofNullable(a.preprocessing()),
                a.output(),
                int8);
      } else {
        result =
            a.synthetic()
                ? builder.synthetic(a.seed(), a.output(), int8)
                : builder.fromKerasH5(a.weights(), a.output(), int8);
      }
      out.printf("Done in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, result.file());
      return 0;
    } catch (KerasWeightsException
        | UncheckedIOException
        | IllegalArgumentException
        | IllegalStateException e) {
      err.println("build-model: " + e.getMessage());
      return 1;
    }
  }

  private CalibrationImages images(Arguments a) {
    if (a.calibration() != null) {
      int limit = a.calibrationImages() != null ? a.calibrationImages() : FOLDER_IMAGES;
      return CalibrationImages.folder(a.calibration(), limit, out::println);
    }
    int count = a.calibrationImages() != null ? a.calibrationImages() : GENERATED_IMAGES;
    out.println(
        "No --calibration folder: calibrating on "
            + count
            + " generated textures. Real photos calibrate better: give --calibration <folder> with"
            + " a few hundred images like the ones the service will classify.");
    return CalibrationImages.generated(count);
  }

  /**
   * @return null for --help
   */
  private static Arguments parse(String[] args) {
    Path weights = null;
    Path keras = null;
    Path config = null;
    Path labels = null;
    String preprocessing = null;
    Path output = null;
    boolean synthetic = false;
    long seed = 42;
    String precision = ModelMetadata.FP32;
    Path calibration = null;
    Integer calibrationImages = null;
    Double percentile = null;
    Integer threads = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--weights" -> weights = Path.of(value(args, ++i));
        case "--output" -> output = Path.of(value(args, ++i));
        case "--keras" -> keras = Path.of(value(args, ++i));
        case "--config" -> config = Path.of(value(args, ++i));
        case "--labels" -> labels = Path.of(value(args, ++i));
        case "--preprocessing" ->
            preprocessing = dev.classifier.image.Normalization.of(value(args, ++i)).id();
        case "--synthetic" -> synthetic = true;
        case "--seed" -> seed = number(args, ++i);
        case "--precision" -> {
          precision = value(args, ++i);
          if (!precision.equals(ModelMetadata.FP32) && !precision.equals(ModelMetadata.INT8)) {
            throw new IllegalArgumentException("--precision must be fp32 or int8: " + precision);
          }
        }
        case "--calibration" -> calibration = Path.of(value(args, ++i));
        case "--calibration-images" -> calibrationImages = (int) positive(args, ++i);
        case "--percentile" -> {
          String p = value(args, ++i);
          try {
            percentile = Double.parseDouble(p);
          } catch (NumberFormatException e) {
            percentile = Double.NaN;
          }
          if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("--percentile must be in (50, 100]: " + p);
          }
        }
        case "--threads" -> threads = (int) positive(args, ++i);
        case "-h", "--help" -> {
          return null;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if ((synthetic ? 1 : 0) + (weights != null ? 1 : 0) + (keras != null ? 1 : 0) != 1) {
      throw new IllegalArgumentException("give exactly one of --weights, --keras and --synthetic");
    }
    if (keras == null && (config != null || labels != null || preprocessing != null)) {
      throw new IllegalArgumentException("--config, --labels and --preprocessing need --keras");
    }
    boolean int8 = precision.equals(ModelMetadata.INT8);
    if (!int8 && (calibration != null || calibrationImages != null || percentile != null)) {
      throw new IllegalArgumentException(
          "--calibration, --calibration-images and --percentile need --precision int8");
    }
    if (calibrationImages != null
        && calibration == null
        && calibrationImages > CalibrationImages.MAX_GENERATED) {
      throw new IllegalArgumentException(
          "at most " + CalibrationImages.MAX_GENERATED + " generated calibration images");
    }
    if (output == null) {
      output = Path.of("models", int8 ? "xception-int8.onnx" : "xception.onnx");
    }
    return new Arguments(
        weights,
        keras,
        config,
        labels,
        preprocessing,
        synthetic,
        seed,
        precision,
        output,
        calibration,
        calibrationImages,
        percentile != null ? percentile : Int8Quantizer.DEFAULT_PERCENTILE,
        threads != null ? threads : Runtime.getRuntime().availableProcessors());
  }

  private static long number(String[] args, int i) {
    String v = value(args, i);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(args[i - 1] + " needs a whole number: " + v);
    }
  }

  private static long positive(String[] args, int i) {
    long n = number(args, i);
    if (n < 1 || n > 100_000) {
      throw new IllegalArgumentException(args[i - 1] + " must be 1 to 100000: " + n);
    }
    return n;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
