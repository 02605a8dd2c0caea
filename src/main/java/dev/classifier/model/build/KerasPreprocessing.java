package dev.classifier.model.build;

import tools.jackson.databind.JsonNode;

/**
 * The input layers of a Keras model that become part of the graph: {@code Rescaling} and {@code
 * Normalization}, each one per-channel affine map on the 0..255 input that the graph applies before
 * Xception (the model then takes raw pixels).
 */
final class KerasPreprocessing {

  /**
   * A per-channel {@code x * scale + offset} on the 0..255 input; a Normalization whose statistics
   * live in the weights file has them read from {@code weights} later.
   */
  record Preprocess(String layer, double[] scale, double[] offset, String weights) {}

  private KerasPreprocessing() {}

  static Preprocess rescaling(KerasConfig.Layer l) {
    return new Preprocess(l.name(), perChannel(l, "scale"), perChannel(l, "offset"), null);
  }

  /** Keras 3: {@code (x - mean) / max(sqrt(variance), 1e-7)} over the channel axis. */
  static Preprocess normalization(KerasConfig.Layer l) {
    JsonNode axis = l.config().path("axis");
    boolean channels =
        axis.isArray()
            ? axis.size() == 1 && (axis.path(0).asInt(0) == -1 || axis.path(0).asInt(0) == 3)
            : (axis.asInt(-1) == -1 || axis.asInt(0) == 3);
    if (!channels || l.config().path("invert").asBoolean(false)) {
      throw KerasArchitecture.refused(
          l,
          "normalizes over axis "
              + axis
              + " or inverts; supported: the channel axis, invert=False");
    }
    if (l.config().path("mean").isNull() || l.config().path("mean").isMissingNode()) {
      return new Preprocess(l.name(), null, null, l.weights());
    }
    double[] mean = perChannel(l, "mean");
    double[] variance = perChannel(l, "variance");
    return statistics(l.name(), mean, variance);
  }

  static Preprocess statistics(String layer, double[] mean, double[] variance) {
    double[] scale = new double[3];
    double[] offset = new double[3];
    for (int c = 0; c < 3; c++) {
      scale[c] = 1 / Math.max(Math.sqrt(variance[c]), 1e-7);
      offset[c] = -mean[c] * scale[c];
    }
    return new Preprocess(layer, scale, offset, null);
  }

  private static double[] perChannel(KerasConfig.Layer l, String field) {
    JsonNode v = l.config().path(field);
    if (v.isNumber()) {
      double d = v.asDouble(Double.NaN);
      return new double[] {d, d, d};
    }
    if (v.isArray() && (v.size() == 1 || v.size() == 3) && v.path(0).isNumber()) {
      double[] out = new double[3];
      for (int c = 0; c < 3; c++) {
        out[c] = v.path(v.size() == 1 ? 0 : c).asDouble(Double.NaN);
      }
      return out;
    }
    throw KerasArchitecture.refused(
        l, "has " + field + " " + v + "; expected a number or 3 numbers");
  }
}
