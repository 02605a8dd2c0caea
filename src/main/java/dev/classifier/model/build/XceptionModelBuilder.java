package dev.classifier.model.build;

import dev.classifier.model.FileDigest;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a weight set (Keras h5 or synthetic) into an ONNX file, reporting each step to {@code
 * progress}.
 */
public final class XceptionModelBuilder {

  /** The version this builder records in every file it writes. */
  public static final String BUILDER_VERSION = XceptionGraph.BUILDER_VERSION;

  /**
   * @param spatialSizes feature-map edge lengths the graph went through, for the record
   */
  public record Result(Path file, String weightsSource, List<Integer> spatialSizes) {}

  private final Consumer<String> progress;

  public XceptionModelBuilder(Consumer<String> progress) {
    this.progress = progress;
  }

  Result fromKerasH5(Path h5, Path output) {
    progress.accept("Hashing " + h5 + " ...");
    String source = "keras-h5:" + FileDigest.sha256(h5);
    progress.accept("Reading Keras weights (" + source + ") ...");
    XceptionWeights weights = KerasH5Reader.read(h5);
    return write(weights, source, output);
  }

  public Result synthetic(long seed, Path output) {
    progress.accept("Generating synthetic weights with seed " + seed + " ...");
    return write(SyntheticWeights.generate(seed), "synthetic:" + seed, output);
  }

  private Result write(XceptionWeights weights, String source, Path output) {
    progress.accept(
        "Building the Xception graph ("
            + weights.parameters()
            + " Keras parameters, batch norm folded) ...");
    XceptionGraph.Built built = XceptionGraph.build(weights, source);
    progress.accept("Writing " + output + " ...");
    long bytes = OnnxModelFiles.writeAtomically(built.model(), output);
    progress.accept(String.format("Wrote %s (%.1f MB, weights %s)", output, bytes / 1e6, source));
    return new Result(output, source, built.spatialSizes());
  }
}
