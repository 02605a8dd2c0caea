package dev.classifier.inference;

/** How inference workers and ONNX Runtime's intra-op threads share the CPUs. */
public enum Threading {
  /**
   * One worker per CPU. A session call that runs alone uses every CPU; calls that overlap run
   * single-threaded, one per CPU (see {@link ThreadBudget#adaptive}).
   */
  ADAPTIVE,
  /** {@code workers × intra-op-threads}, as configured. */
  FIXED
}
