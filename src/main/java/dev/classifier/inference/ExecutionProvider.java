package dev.classifier.inference;

/** Where the session runs: {@code AUTO} tries CUDA and falls back to CPU with one warning. */
public enum ExecutionProvider {
  CPU,
  CUDA,
  AUTO
}
