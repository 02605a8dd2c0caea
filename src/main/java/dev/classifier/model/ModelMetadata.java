package dev.classifier.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What this project's builder records in an ONNX model's {@code metadata_props}, as read back from
 * a loaded model.
 *
 * @param weightsSource {@code keras-h5:<sha256 of the h5>}, {@code synthetic:<seed>}, or {@code
 *     unknown} for a model without that entry
 * @param preprocessing how input pixels are scaled ({@code tf}, {@code torch}, {@code caffe}), if
 *     recorded
 * @param precision {@code fp32} or {@code int8}; {@code fp32} also for a file of this builder that
 *     predates the entry (it built only float models), {@code unknown} for a foreign model
 * @param calibrationSource for INT8: {@code folder:<name>} or {@code generated:textures-v1}; else
 *     {@code none}
 * @param calibrationImages for INT8: how many images calibrated the ranges; else 0
 * @param rangeMethod for INT8: how a tensor's range was taken from the calibration values, {@code
 *     percentile:<p>}; else {@code none}
 * @param labels the class names written by {@code build-model --labels}, in {@link LabelSet}'s text
 *     format, if recorded
 */
public record ModelMetadata(
    String weightsSource,
    String builderVersion,
    Optional<String> preprocessing,
    String precision,
    String calibrationSource,
    int calibrationImages,
    String rangeMethod,
    Optional<String> labels) {

  /** {@code keras-h5:<sha256>} or {@code synthetic:<seed>}. */
  public static final String WEIGHTS_SOURCE = "weights_source";

  /** Version of the graph builder that wrote the file. */
  public static final String BUILDER_VERSION = "builder_version";

  /**
   * Pixel scaling the model was trained with: {@code tf}, {@code torch}, {@code caffe}, or {@code
   * raw} for a model that scales its own input.
   */
  public static final String PREPROCESSING = "preprocessing";

  /** Builder versions of this project's Xception, which all scale inputs the Keras "tf" way. */
  public static final String XCEPTION_BUILDER_PREFIX = "xception-onnx-builder/";

  /**
   * {@value #FP32} or {@value #INT8}: the arithmetic of the model's convolutions and dense layer.
   */
  public static final String PRECISION = "precision";

  public static final String FP32 = "fp32";
  public static final String INT8 = "int8";

  /** Where the INT8 model's calibration images came from. */
  public static final String CALIBRATION_SOURCE = "calibration_source";

  /** How many images the INT8 model was calibrated on. */
  public static final String CALIBRATION_IMAGES = "calibration_images";

  /** How the INT8 model's activation ranges were taken, e.g. {@code percentile:99.999}. */
  public static final String RANGE_METHOD = "range_method";

  /** The class names, one {@code index<TAB>name} line per class (see {@link LabelSet}). */
  public static final String LABELS = "labels";

  /** Version of the quantizer that wrote an INT8 file. */
  public static final String QUANTIZER_VERSION = "quantizer_version";

  private static final String UNKNOWN = "unknown";
  private static final String NONE = "none";

  public static ModelMetadata of(Map<String, String> props) {
    String builder = props.getOrDefault(BUILDER_VERSION, UNKNOWN);
    String precision =
        props.getOrDefault(PRECISION, builder.startsWith(XCEPTION_BUILDER_PREFIX) ? FP32 : UNKNOWN);
    int images;
    try {
      images = Integer.parseInt(props.getOrDefault(CALIBRATION_IMAGES, "0"));
    } catch (NumberFormatException e) {
      images = 0;
    }
    return new ModelMetadata(
        props.getOrDefault(WEIGHTS_SOURCE, UNKNOWN),
        builder,
        Optional.ofNullable(props.get(PREPROCESSING)),
        precision,
        props.getOrDefault(CALIBRATION_SOURCE, NONE),
        images,
        props.getOrDefault(RANGE_METHOD, NONE),
        Optional.ofNullable(props.get(LABELS)));
  }

  public boolean synthetic() {
    return weightsSource.startsWith("synthetic:");
  }

  public boolean int8() {
    return INT8.equals(precision);
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
