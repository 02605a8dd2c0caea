package dev.classifier.model;

/** Keys this project writes into an ONNX model's {@code metadata_props}, read back by the inference session. */
public final class ModelMetadata {

  /** {@code keras-h5:<sha256>} or {@code synthetic:<seed>}. */
  public static final String WEIGHTS_SOURCE = "weights_source";

  /** Version of the graph builder that wrote the file. */
  public static final String BUILDER_VERSION = "builder_version";

  private ModelMetadata() {}
}
