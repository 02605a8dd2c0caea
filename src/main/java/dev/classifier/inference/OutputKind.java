package dev.classifier.inference;

/**
 * Whether a model's output rows are probabilities already or logits that need a softmax; AUTO looks
 * at warm-up.
 */
public enum OutputKind {
  AUTO,
  PROBABILITIES,
  LOGITS
}
