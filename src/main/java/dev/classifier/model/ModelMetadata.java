package dev.classifier.model;

import java.nio.file.Path;
import java.util.Map;

/**
 * What this project's builder records in an ONNX model's {@code metadata_props}, as read back from
 * a loaded model.
 *
 * @param weightsSource {@code keras-h5:<sha256 of the h5>}, {@code synthetic:<seed>}, or {@code
 *     unknown} for a model without that entry
 */
public record ModelMetadata(String weightsSource, String builderVersion) {

  /** {@code keras-h5:<sha256>} or {@code synthetic:<seed>}. */
  public static final String WEIGHTS_SOURCE = "weights_source";

  /** Version of the graph builder that wrote the file. */
  public static final String BUILDER_VERSION = "builder_version";

  public static ModelMetadata of(Map<String, String> props) {
    return new ModelMetadata(
        props.getOrDefault(WEIGHTS_SOURCE, "unknown"),
        props.getOrDefault(BUILDER_VERSION, "unknown"));
  }

  public boolean synthetic() {
    return weightsSource.startsWith("synthetic:");
  }

  /**
   * The start-up banner for a synthetic model: logged on every start, since a cached one is just as
   * meaningless.
   */
  public String syntheticWarning(Path model) {
    return """

        ************************************************************************************************
        *  SYNTHETIC MODEL IN USE (%s): real Xception architecture and speed, RANDOM weights.
        *  Predicted labels are MEANINGLESS until the real ImageNet weights are installed:
        *    models/download-weights.sh            (downloads the Keras h5, checks its MD5, converts it)
        *  or, with the h5 file at hand (in a container: the image's own entry point, see the README):
        *    java -jar target/xception-classifier.jar build-model \\
        *        --weights xception_weights_tf_dim_ordering_tf_kernels.h5 --output %s
        ************************************************************************************************"""
        .formatted(weightsSource, model);
  }
}
