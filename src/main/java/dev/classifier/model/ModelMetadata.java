package dev.classifier.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What this project's builder records in an ONNX model's {@code metadata_props}, as read back from
 * a loaded model. Foreign models may carry none of it.
 *
 * @param weightsSource {@code keras-h5:<sha256 of the h5>}, {@code synthetic:<seed>}, or {@code
 *     unknown} for a model without that entry
 * @param preprocessing how input pixels are scaled ({@code tf}, {@code torch}, {@code caffe}), if
 *     recorded
 * @param precision {@code fp32} or {@code int8}, if recorded
 */
public record ModelMetadata(
    String weightsSource,
    String builderVersion,
    Optional<String> preprocessing,
    Optional<String> precision) {

  /** {@code keras-h5:<sha256>} or {@code synthetic:<seed>}. */
  public static final String WEIGHTS_SOURCE = "weights_source";

  /** Version of the graph builder that wrote the file. */
  public static final String BUILDER_VERSION = "builder_version";

  /** Pixel scaling the model was trained with: {@code tf}, {@code torch} or {@code caffe}. */
  public static final String PREPROCESSING = "preprocessing";

  /** Numeric precision of the weights and activations: {@code fp32} or {@code int8}. */
  public static final String PRECISION = "precision";

  /** Builder versions of this project's Xception, which all scale inputs the Keras "tf" way. */
  public static final String XCEPTION_BUILDER_PREFIX = "xception-onnx-builder/";

  public static ModelMetadata of(Map<String, String> props) {
    return new ModelMetadata(
        props.getOrDefault(WEIGHTS_SOURCE, "unknown"),
        props.getOrDefault(BUILDER_VERSION, "unknown"),
        Optional.ofNullable(props.get(PREPROCESSING)),
        Optional.ofNullable(props.get(PRECISION)));
  }

  public boolean synthetic() {
    return weightsSource.startsWith("synthetic:");
  }

  /**
   * The recorded preprocessing; this project's Xception files from before the key existed are "tf".
   */
  public Optional<String> preprocessingOrKnownDefault() {
    if (preprocessing.isPresent()) {
      return preprocessing;
    }
    return builderVersion.startsWith(XCEPTION_BUILDER_PREFIX)
        ? Optional.of("tf")
        : Optional.empty();
  }

  /**
   * The start-up banner for a synthetic model: logged on every start, a cached one is just as
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
