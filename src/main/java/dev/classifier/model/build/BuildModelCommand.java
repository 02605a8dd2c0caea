package dev.classifier.model.build;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code build-model} command: writes the Xception ONNX model from a Keras h5 weights file or
 * from deterministic synthetic weights, without starting the service.
 */
public final class BuildModelCommand {

  static final String USAGE =
      """
      usage: build-model (--weights <xception_weights_tf_dim_ordering_tf_kernels.h5> | --synthetic [--seed <n>])
                         [--output <file>]   (default models/xception.onnx)""";

  private final PrintStream out;
  private final PrintStream err;

  public BuildModelCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * @param args the arguments after {@code build-model} @return the process exit code
   */
  public int run(String... args) {
    Path weights = null;
    Path output = Path.of("models", "xception.onnx");
    boolean synthetic = false;
    long seed = 42;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--weights" -> weights = Path.of(value(args, ++i));
          case "--output" -> output = Path.of(value(args, ++i));
          case "--synthetic" -> synthetic = true;
          case "--seed" -> seed = Long.parseLong(value(args, ++i));
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      if (synthetic == (weights != null)) {
        throw new IllegalArgumentException("give exactly one of --weights and --synthetic");
      }
    } catch (IllegalArgumentException e) {
      err.println("build-model: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    long start = System.nanoTime();
    try {
      XceptionModelBuilder builder = new XceptionModelBuilder(out::println);
      if (weights != null && !Files.isRegularFile(weights)) {
        err.println("build-model: no such file " + weights);
        return 1;
      }
      XceptionModelBuilder.Result result =
          synthetic ? builder.synthetic(seed, output) : builder.fromKerasH5(weights, output);
      out.printf("Done in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, result.file());
      return 0;
    } catch (KerasWeightsException | UncheckedIOException e) {
      err.println("build-model: " + e.getMessage());
      return 1;
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
