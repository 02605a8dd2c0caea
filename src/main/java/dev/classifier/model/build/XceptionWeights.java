package dev.classifier.model.build;

import java.util.Map;

/**
 * A complete, shape-checked Xception weight set keyed by the canonical layer names of {@link
 * XceptionSpec}: whoever builds one (h5 import, synthetic generator) has already matched every
 * layer and shape.
 */
record XceptionWeights(Map<String, Map<String, WeightTensor>> layers) {

  WeightTensor get(String layer, String role) {
    Map<String, WeightTensor> byRole = layers.get(layer);
    WeightTensor t = byRole == null ? null : byRole.get(role);
    if (t == null) {
      throw new IllegalStateException("weight set lacks " + layer + "/" + role);
    }
    return t;
  }

  long parameters() {
    return layers.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToLong(t -> t.data().length)
        .sum();
  }
}
