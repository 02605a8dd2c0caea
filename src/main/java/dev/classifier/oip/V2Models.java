package dev.classifier.oip;

import java.util.List;
import java.util.Optional;

/**
 * The V2 models this service offers, both over the one ONNX model it runs: {@code <name>} takes the
 * model's own input tensor, already preprocessed (what Triton's {@code image_client} sends), and
 * {@code <name>-image} takes encoded image files as BYTES (what its ensemble image client and
 * KServe's custom-model samples send). Both answer the model's probabilities.
 */
public final class V2Models {

  /** The one version each model has: the service runs one model file at a time. */
  public static final String VERSION = "1";

  /** Appended to the model's name for the model that takes image files. */
  public static final String IMAGE_SUFFIX = "-image";

  /** The image model's input: one encoded file per batch entry. */
  public static final String IMAGE_INPUT = "image";

  private final List<V2Model> models;

  private V2Models(List<V2Model> models) {
    this.models = List.copyOf(models);
  }

  /**
   * @param inputName the ONNX model's input
   * @param inputShape as declared, the batch dimension first (reported as -1 whatever it is)
   * @param layout {@code NHWC} or {@code NCHW}
   * @param outputName the score output, {@code [N, classes]}
   * @param labels class names by index
   * @param maxBatchSize images one request may carry
   */
  public static V2Models of(
      String name,
      String inputName,
      long[] inputShape,
      String layout,
      String outputName,
      List<String> labels,
      String labelFile,
      int maxBatchSize) {
    long[] batched = inputShape.clone();
    batched[0] = -1;
    TensorSpec output = new TensorSpec(outputName, Datatype.FP32, new long[] {-1, labels.size()});
    V2Model tensor =
        new V2Model(
            name,
            VERSION,
            V2Model.Kind.TENSOR,
            new TensorSpec(inputName, Datatype.FP32, batched),
            output,
            V2Model.Format.valueOf("FORMAT_" + layout),
            maxBatchSize,
            labels,
            labelFile);
    V2Model image =
        new V2Model(
            name + IMAGE_SUFFIX,
            VERSION,
            V2Model.Kind.IMAGE,
            new TensorSpec(IMAGE_INPUT, Datatype.BYTES, new long[] {-1, 1}),
            output,
            V2Model.Format.FORMAT_NONE,
            maxBatchSize,
            labels,
            labelFile);
    return new V2Models(List.of(tensor, image));
  }

  public List<V2Model> all() {
    return models;
  }

  /**
   * @param version empty for the model's current version
   * @throws OipException 404 naming what exists
   */
  public V2Model find(String name, String version) {
    V2Model model =
        models.stream()
            .filter(m -> m.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new OipException(
                        OipStatus.NOT_FOUND,
                        "unknown model '"
                            + Text.clip(name)
                            + "'; this service has "
                            + models.stream().map(V2Model::name).toList()));
    if (!version.isEmpty() && !model.versions().contains(version)) {
      throw new OipException(
          OipStatus.NOT_FOUND,
          "model '"
              + name
              + "' has no version '"
              + Text.clip(version)
              + "'; it has "
              + model.versions());
    }
    return model;
  }

  /** The model by name and version, or empty; for readiness questions, which answer false. */
  public Optional<V2Model> lookup(String name, String version) {
    try {
      return Optional.of(find(name, version));
    } catch (OipException e) {
      return Optional.empty();
    }
  }
}
