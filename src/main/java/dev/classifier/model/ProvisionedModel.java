package dev.classifier.model;

import java.nio.file.Path;

/**
 * The ONNX file the service will load, and where its weights came from.
 *
 * @param weightsSource {@code keras-h5:<sha256 of the h5 file>} or {@code synthetic:<seed>}, as recorded in the
 *     model's metadata ({@link ModelMetadata#WEIGHTS_SOURCE}); {@code unknown} for a model without that entry
 */
public record ProvisionedModel(Path path, String weightsSource) {

  public boolean synthetic() {
    return weightsSource.startsWith("synthetic:");
  }
}
