package dev.classifier.inference;

/**
 * What the service is running, for the model-info endpoint, every response's model block, and
 * metrics tags.
 *
 * @param weightsSource {@code keras-h5:<sha256>}, {@code synthetic:<seed>} or {@code unknown}
 * @param sha256 of the ONNX file as loaded
 * @param provider execution provider in use, {@code CPU} or {@code CUDA}
 * @param outputKind how output rows are read, resolved at warm-up when configured as AUTO
 */
public record ModelInfo(
    String file,
    String sha256,
    String weightsSource,
    String builderVersion,
    ModelSignature signature,
    String provider,
    ThreadBudget threads,
    BatchSettings batching,
    OutputKind outputKind) {

  public boolean synthetic() {
    return weightsSource.startsWith("synthetic:");
  }
}
