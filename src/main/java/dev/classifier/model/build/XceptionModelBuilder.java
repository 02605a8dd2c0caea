package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.classifier.model.ClassLabel;
import dev.classifier.model.FileDigest;
import dev.classifier.model.LabelSet;
import dev.classifier.model.ModelMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns a weight set (Keras h5 or synthetic) into an ONNX file, float or INT8, reporting each step
 * to {@code progress}.
 */
public final class XceptionModelBuilder {

  /** The version this builder records in every file it writes. */
  public static final String BUILDER_VERSION = XceptionGraph.BUILDER_VERSION;

  /**
   * @param spatialSizes feature-map edge lengths the graph went through, for the record
   * @param precision {@link ModelMetadata#FP32} or {@link ModelMetadata#INT8}
   */
  public record Result(
      Path file, String weightsSource, List<Integer> spatialSizes, String precision) {}

  /**
   * How to calibrate an INT8 model.
   *
   * @param percentile activation ranges are the (100 − p)th to p-th percentile of the calibration
   *     values
   */
  record Int8Options(OrtRuntime runtime, CalibrationImages images, double percentile) {}

  private final Consumer<String> progress;

  public XceptionModelBuilder(Consumer<String> progress) {
    this.progress = progress;
  }

  Result fromKerasH5(Path h5, Path output) {
    return fromKerasH5(h5, output, Optional.empty());
  }

  Result fromKerasH5(Path h5, Path output, Optional<Int8Options> int8) {
    progress.accept("Hashing " + h5 + " ...");
    String source = "keras-h5:" + FileDigest.sha256(h5);
    progress.accept("Reading Keras weights (" + source + ") ...");
    XceptionWeights weights = KerasH5Reader.read(h5);
    return write(weights, source, output, int8);
  }

  /**
   * A Keras file of any form {@link KerasImport} reads.
   *
   * @param labels class names, one per line (or {@link LabelSet}'s tab-separated format); empty:
   *     {@code class_0…} for a Keras 3 model, none recorded for ImageNet's Keras 2 file
   */
  Result fromKeras(
      Path file,
      Optional<Path> config,
      Optional<Path> labels,
      Optional<String> preprocessing,
      Path output,
      Optional<Int8Options> int8) {
    KerasImport.Imported imported = KerasImport.read(file, config, preprocessing, progress);
    Optional<String> names;
    if (labels.isPresent()) {
      names = Optional.of(readLabels(labels.get(), imported.classes()).toText());
    } else if (imported.source().startsWith("keras-h5:")) {
      names = Optional.empty();
    } else {
      names = Optional.of(LabelSet.generic(imported.classes()).toText());
    }
    progress.accept(
        "Building the graph ("
            + imported.weights().parameters()
            + " Keras parameters in the Xception layers, batch norm folded; "
            + imported.classes()
            + " classes, preprocessing "
            + imported.top().preprocessing()
            + ") ...");
    XceptionGraph.Built built =
        XceptionGraph.build(
            imported.weights(), imported.top(), KerasImport.metadata(imported, names));
    return write(built, imported.source(), output, int8);
  }

  /** One name per line, or the service's {@code index<TAB>[id<TAB>]name} format. */
  static LabelSet readLabels(Path file, int classes) {
    List<String> lines;
    try {
      lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read labels " + file, e);
    }
    LabelSet set;
    if (lines.stream().anyMatch(l -> l.contains("\t"))) {
      set = LabelSet.load(file);
    } else {
      List<ClassLabel> names = new java.util.ArrayList<>();
      for (String line : lines) {
        if (!line.isBlank()) {
          names.add(new ClassLabel(names.size(), null, line.strip()));
        }
      }
      set = new LabelSet(names);
    }
    if (set.size() != classes) {
      throw new IllegalArgumentException(
          file + " has " + set.size() + " labels but the model has " + classes + " classes");
    }
    return set;
  }

  public Result synthetic(long seed, Path output) {
    return synthetic(seed, output, Optional.empty());
  }

  Result synthetic(long seed, Path output, Optional<Int8Options> int8) {
    progress.accept("Generating synthetic weights with seed " + seed + " ...");
    return write(SyntheticWeights.generate(seed), "synthetic:" + seed, output, int8);
  }

  private Result write(
      XceptionWeights weights, String source, Path output, Optional<Int8Options> int8) {
    progress.accept(
        "Building the Xception graph ("
            + weights.parameters()
            + " Keras parameters, batch norm folded) ...");
    return write(XceptionGraph.build(weights, source), source, output, int8);
  }

  private Result write(
      XceptionGraph.Built built, String source, Path output, Optional<Int8Options> int8) {
    ModelProto model =
        Int8Quantizer.withMetadata(
            built.model(), Map.of(ModelMetadata.PRECISION, ModelMetadata.FP32));
    String precision = ModelMetadata.FP32;
    if (int8.isPresent()) {
      Int8Options options = int8.get();
      Int8Quantizer.Result quantized =
          new Int8Quantizer(options.runtime(), progress)
              .quantize(model, options.images(), options.percentile());
      model = quantized.model();
      precision = ModelMetadata.INT8;
    }
    progress.accept("Writing " + output + " ...");
    long bytes = OnnxModelFiles.writeAtomically(model, output);
    progress.accept(
        String.format(
            "Wrote %s (%.1f MB, %s, weights %s)",
            output, bytes / 1e6, precision.toUpperCase(java.util.Locale.ROOT), source));
    return new Result(output, source, built.spatialSizes(), precision);
  }
}
