package dev.classifier.model.compare;

import dev.classifier.image.Normalization;
import dev.classifier.model.build.ImageFolder;
import dev.classifier.model.build.OrtRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The {@code compare-models} command: how far a candidate model (say the INT8 build) strays from a
 * reference (the float one) on a folder of the user's own images, next to how far the reference
 * strays from itself under ±1 grey level of noise, and how much faster the candidate runs. Only the
 * user can judge a quantized model with real weights, on the photos they serve; this gives them the
 * numbers to do it.
 */
public final class CompareModelsCommand {

  static final String USAGE =
      """
      usage: compare-models --reference <float.onnx> --candidate <other.onnx> --images <folder>
                            [--limit <n>]     (the most images used, first by file name; default %d)
                            [--threads <n>]   (ONNX Runtime intra-op threads shared by both models; default: all CPUs)
                            [--preprocessing tf|torch|caffe|raw]  (input scaling; default: what the reference model records)"""
          .formatted(CompareModelsCommand.DEFAULT_LIMIT);

  static final int DEFAULT_LIMIT = 500;

  private final PrintStream out;
  private final PrintStream err;
  private final IntFunction<OrtRuntime> runtimes;

  /** The command as a process starts it: it creates ONNX Runtime's environment itself. */
  public CompareModelsCommand(PrintStream out, PrintStream err) {
    this(out, err, OrtRuntime::create);
  }

  /**
   * @param runtimes gives the runtime for the {@code --threads} asked for: a caller that already
   *     holds the process's runtime hands it in, since the environment cannot be created twice
   */
  public CompareModelsCommand(PrintStream out, PrintStream err, IntFunction<OrtRuntime> runtimes) {
    this.out = out;
    this.err = err;
    this.runtimes = runtimes;
  }

  /**
   * @param args the arguments after {@code compare-models}
   * @return the process exit code: 0, 1 when the comparison fails, 2 for bad arguments
   */
  public int run(String... args) {
    Path reference = null;
    Path candidate = null;
    Path images = null;
    int limit = DEFAULT_LIMIT;
    int threads = Runtime.getRuntime().availableProcessors();
    Optional<Normalization> preprocessing = Optional.empty();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--reference" -> reference = Path.of(value(args, ++i));
          case "--candidate" -> candidate = Path.of(value(args, ++i));
          case "--images" -> images = Path.of(value(args, ++i));
          case "--limit" -> limit = positive(args, ++i);
          case "--threads" -> threads = positive(args, ++i);
          case "--preprocessing" -> preprocessing = Optional.of(Normalization.of(value(args, ++i)));
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      if (reference == null || candidate == null || images == null) {
        throw new IllegalArgumentException("--reference, --candidate and --images are required");
      }
    } catch (IllegalArgumentException e) {
      err.println("compare-models: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    for (Path model : new Path[] {reference, candidate}) {
      if (!Files.isRegularFile(model)) {
        err.println("compare-models: no such file " + model);
        return 1;
      }
    }
    try {
      ImageFolder folder = new ImageFolder(images, limit);
      if (folder.found() > limit) {
        out.println(
            "Using the first " + limit + " of " + folder.found() + " files (--limit to change)");
      }
      // in a process of its own, the first use of ONNX Runtime: environment and pool made here
      OrtRuntime runtime = runtimes.apply(threads);
      try (ScoredSession ref = ScoredSession.open(runtime, reference);
          ScoredSession cand = ScoredSession.open(runtime, candidate)) {
        ModelComparer.Outcome outcome =
            ModelComparer.compare(ref, cand, folder, ref.input(preprocessing), out::println);
        out.print(
            ComparisonReport.format(
                describe(reference, ref),
                describe(candidate, cand),
                ref.signature(),
                runtime.describe(),
                images,
                outcome));
      }
      return 0;
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      err.println("compare-models: " + e.getMessage());
      return 1;
    }
  }

  private static ComparisonReport.Model describe(Path file, ScoredSession session) {
    try {
      return new ComparisonReport.Model(
          file, Files.size(file), session.metadata(), session.createNanos());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static int positive(String[] args, int i) {
    String v = value(args, i);
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(args[i - 1] + " needs a positive whole number: " + v);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
