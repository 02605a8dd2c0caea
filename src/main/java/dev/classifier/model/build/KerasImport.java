package dev.classifier.model.build;

import dev.classifier.model.FileDigest;
import dev.classifier.model.ModelMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns a Keras file into what {@link XceptionGraph} builds: a Keras 3 {@code .keras} archive, a
 * Keras 3 {@code .weights.h5} with its architecture from a config (a {@code config.json}, a {@code
 * model.to_json()} file or a {@code .keras} archive, given or found beside it as {@code
 * <name>.keras}), or a Keras 2 h5 of ImageNet's Xception.
 */
final class KerasImport {

  /** The imported model, ready for the graph. */
  record Imported(XceptionWeights weights, XceptionGraph.Top top, String source, int classes) {}

  private KerasImport() {}

  /**
   * @param config the architecture for a Keras 3 weights file; empty: {@code <name>.keras} beside
   *     it
   * @param preprocessing the pixel scaling to record for a model without its own preprocessing
   *     layers; empty: Xception's "tf"
   */
  static Imported read(
      Path file, Optional<Path> config, Optional<String> preprocessing, Consumer<String> progress) {
    progress.accept("Hashing " + file + " ...");
    String digest = FileDigest.sha256(file);
    if (KerasArchive.looksLikeZip(file)) {
      progress.accept("Reading the model config in " + file + " ...");
      KerasArchitecture.Plan plan =
          KerasArchitecture.recognise(KerasConfig.parse(KerasArchive.config(file)));
      describe(plan, progress);
      Path h5 = temporary(file);
      try {
        progress.accept("Extracting " + KerasArchive.WEIGHTS + " ...");
        KerasArchive.extractWeights(file, h5);
        return imported(plan, Keras3WeightsReader.read(h5, plan), "keras:" + digest, preprocessing);
      } finally {
        delete(h5);
      }
    }
    if (Keras3WeightsReader.isKeras3(file)) {
      Path architecture = config.orElseGet(() -> beside(file));
      progress.accept("Reading the model config in " + architecture + " ...");
      byte[] json =
          KerasArchive.looksLikeZip(architecture)
              ? KerasArchive.config(architecture)
              : readBounded(architecture);
      KerasArchitecture.Plan plan = KerasArchitecture.recognise(KerasConfig.parse(json));
      describe(plan, progress);
      return imported(
          plan, Keras3WeightsReader.read(file, plan), "keras-weights-h5:" + digest, preprocessing);
    }
    if (config.isPresent()) {
      throw new IllegalArgumentException(
          "--config applies to Keras 3 .weights.h5 files; " + file + " is a Keras 2 h5 file");
    }
    progress.accept("Reading Keras 2 weights of ImageNet's Xception ...");
    XceptionWeights weights = KerasH5Reader.read(file);
    XceptionGraph.Top top =
        new XceptionGraph.Top(
            XceptionSpec.INPUT_SIZE,
            null,
            null,
            false,
            List.of(
                new XceptionGraph.Dense(
                    weights.get("predictions", "kernel"),
                    weights.get("predictions", "bias"),
                    "softmax")),
            preprocessing.orElse("tf"));
    return new Imported(weights, top, "keras-h5:" + digest, XceptionSpec.CLASSES);
  }

  private static Imported imported(
      KerasArchitecture.Plan plan,
      Keras3WeightsReader.Weights w,
      String source,
      Optional<String> preprocessing) {
    double[] scale = null;
    double[] offset = null;
    for (KerasPreprocessing.Preprocess p : w.preprocessing()) {
      if (scale == null) {
        scale = new double[] {1, 1, 1};
        offset = new double[] {0, 0, 0};
      }
      // (x * s1 + o1) * s2 + o2 = x * (s1 * s2) + (o1 * s2 + o2)
      for (int c = 0; c < 3; c++) {
        scale[c] *= p.scale()[c];
        offset[c] = offset[c] * p.scale()[c] + p.offset()[c];
      }
    }
    boolean raw = scale != null;
    if (raw && preprocessing.isPresent() && !preprocessing.get().equals("raw")) {
      throw new IllegalArgumentException(
          "the model scales its own input (layer '"
              + w.preprocessing().get(0).layer()
              + "'), so it takes raw pixels; --preprocessing "
              + preprocessing.get()
              + " would scale them twice");
    }
    List<XceptionGraph.Dense> dense = new ArrayList<>();
    for (int d = 0; d < plan.head().size(); d++) {
      KerasArchitecture.Dense layer = plan.head().get(d);
      if (d == plan.head().size() - 1
          && layer.units() == 1
          && layer.activation().equals("softmax")) {
        throw new KerasWeightsException(
            "the last dense layer '"
                + layer.layer()
                + "' (Dense) is a softmax over one unit, which always answers 1");
      }
      dense.add(
          new XceptionGraph.Dense(w.head().get(d)[0], w.head().get(d)[1], layer.activation()));
    }
    XceptionGraph.Top top =
        new XceptionGraph.Top(
            plan.inputSize(),
            scale,
            offset,
            plan.pooling() == KerasArchitecture.Pooling.MAX,
            dense,
            raw ? "raw" : preprocessing.orElse("tf"));
    int units = plan.classes();
    return new Imported(w.body(), top, source, units == 1 ? 2 : units);
  }

  private static void describe(KerasArchitecture.Plan plan, Consumer<String> progress) {
    progress.accept(
        "Recognised: "
            + plan.inputSize()
            + "x"
            + plan.inputSize()
            + " input, "
            + (plan.preprocessing().isEmpty()
                ? "no preprocessing layers"
                : plan.preprocessing().size() + " preprocessing layer(s)")
            + ", Xception in '"
            + plan.bodyLayer()
            + "', global "
            + plan.pooling().name().toLowerCase(java.util.Locale.ROOT)
            + " pooling, "
            + plan.head().stream()
                .map(d -> "Dense(" + d.units() + ", " + d.activation() + ")")
                .toList());
  }

  /** {@code my.weights.h5} -> {@code my.keras}, {@code x.h5} -> {@code x.keras}. */
  static Path beside(Path weights) {
    String name = weights.getFileName().toString();
    String stem =
        name.endsWith(".weights.h5")
            ? name.substring(0, name.length() - ".weights.h5".length())
            : name.replaceFirst("\\.h5$", "");
    Path candidate = weights.resolveSibling(stem + ".keras");
    if (!Files.isRegularFile(candidate)) {
      throw new IllegalArgumentException(
          weights
              + " is a Keras 3 weights file, which holds no architecture: give --config with the"
              + " model's .keras file or its config.json (model.to_json()), or put "
              + candidate.getFileName()
              + " beside it");
    }
    return candidate;
  }

  private static byte[] readBounded(Path json) {
    try {
      if (Files.size(json) > KerasArchive.MAX_CONFIG_BYTES) {
        throw new KerasWeightsException(
            json
                + " is larger than "
                + KerasArchive.MAX_CONFIG_BYTES
                + " bytes: not a model config");
      }
      return Files.readAllBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + json, e);
    }
  }

  private static Path temporary(Path beside) {
    try {
      return Files.createTempFile("keras-weights-", ".h5");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file for " + beside, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover temporary file is harmless; the build's result does not depend on it
    }
  }

  /** Metadata entries of an imported model. */
  static Map<String, String> metadata(Imported imported, Optional<String> labels) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ModelMetadata.WEIGHTS_SOURCE, imported.source());
    labels.ifPresent(l -> m.put(ModelMetadata.LABELS, l));
    return m;
  }
}
