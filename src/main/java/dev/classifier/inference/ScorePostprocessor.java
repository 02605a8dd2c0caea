package dev.classifier.inference;

/**
 * Turns a model's output row into probabilities: as they are when the model ends in a softmax,
 * through a softmax when it emits logits. Fixed once when the model is loaded — from the
 * configuration, or, for {@link OutputKind#AUTO}, from what the model returns for a probe image —
 * and never changed afterwards.
 */
record ScorePostprocessor(OutputKind kind) {

  ScorePostprocessor {
    if (kind == OutputKind.AUTO) {
      throw new IllegalArgumentException("the output kind must be resolved before use");
    }
  }

  /**
   * @param probeRow the model's output for a probe image, consulted only when {@code configured} is
   *     AUTO
   */
  static ScorePostprocessor resolve(OutputKind configured, float[] probeRow) {
    if (configured != OutputKind.AUTO) {
      return new ScorePostprocessor(configured);
    }
    return new ScorePostprocessor(
        Scores.looksLikeProbabilities(probeRow) ? OutputKind.PROBABILITIES : OutputKind.LOGITS);
  }

  float[] probabilities(float[] row) {
    return kind == OutputKind.LOGITS ? Scores.softmax(row) : row;
  }
}
