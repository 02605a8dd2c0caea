package dev.classifier.inference;

import dev.classifier.image.InputSpec;
import dev.classifier.model.ModelMetadata;

/**
 * What the service is running, built once when the model is loaded: for the model-info endpoint,
 * every response's model block, {@code /actuator/info} and the metrics' tags.
 *
 * @param file the model's file name (never its absolute path, which says nothing to a client)
 * @param sha256 of the ONNX file as loaded
 * @param input what the image pipeline must produce for this model
 * @param provider execution provider in use, {@code CPU} or {@code CUDA}
 * @param outputKind how output rows are read, resolved when the model was loaded
 * @param explanations whether class-activation maps can be computed for this model
 */
public record ModelInfo(
    String name,
    String file,
    String sha256,
    ModelMetadata metadata,
    ModelSignature signature,
    InputSpec input,
    String provider,
    ThreadBudget threads,
    BatchSettings batching,
    OutputKind outputKind,
    boolean explanations) {

  /** {@code keras-h5:<sha256>}, {@code synthetic:<seed>} or {@code unknown}. */
  public String weightsSource() {
    return metadata.weightsSource();
  }

  public boolean synthetic() {
    return metadata.synthetic();
  }

  /** {@code fp32} or {@code int8} (as the file records it; {@code unknown} for a foreign model). */
  public String precision() {
    return metadata.precision();
  }
}
