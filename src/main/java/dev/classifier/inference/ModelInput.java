package dev.classifier.inference;

import dev.classifier.image.InputSpec;
import dev.classifier.image.Normalization;
import dev.classifier.model.ModelMetadata;
import java.util.Optional;

/**
 * Decides what the image pipeline must produce for a model: size and layout from its declared
 * input, pixel scaling from configuration if set, else from the model's metadata. A model that says
 * nothing about its scaling is refused rather than guessed at, because a wrong guess answers
 * confident nonsense.
 */
final class ModelInput {

  private ModelInput() {}

  /**
   * @param configured {@code classifier.model.preprocessing}, or empty to take the model's
   * @throws PreprocessingUnknownException naming the property to set when the scaling cannot be
   *     known
   */
  static InputSpec resolve(
      ModelSignature signature, ModelMetadata metadata, Optional<Normalization> configured) {
    Normalization normalization =
        configured.orElseGet(
            () ->
                metadata
                    .preprocessingOrKnownDefault()
                    .map(ModelInput::parse)
                    .orElseThrow(
                        () ->
                            new PreprocessingUnknownException(
                                "the model does not record how its input is preprocessed (metadata '"
                                    + ModelMetadata.PREPROCESSING
                                    + "'); set classifier.model.preprocessing to tf, torch, caffe or raw",
                                null,
                                null)));
    return new InputSpec(signature.width(), signature.height(), signature.layout(), normalization);
  }

  private static Normalization parse(String recorded) {
    try {
      return Normalization.of(recorded);
    } catch (IllegalArgumentException e) {
      throw new PreprocessingUnknownException(
          "the model's metadata '"
              + ModelMetadata.PREPROCESSING
              + "' is '"
              + recorded
              + "'; set classifier.model.preprocessing to tf, torch, caffe or raw to override it",
          recorded,
          e);
    }
  }
}
