package dev.classifier.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The subset of Kubernetes strategic merge patch the overlays use: maps merge recursively, {@code
 * null} deletes a field, lists with a patch merge key (containers by name, volumeMounts by
 * mountPath, ...) merge element-wise, every other list is replaced. {@code $patch}/{@code
 * $setElementOrder} directives are refused rather than misapplied.
 */
final class StrategicMerge {

  /**
   * patchMergeKey of the list fields, as declared in the Kubernetes API (k8s.io/api core/v1 types).
   */
  private static final Map<String, String> MERGE_KEYS =
      Map.of(
          "containers", "name",
          "initContainers", "name",
          "env", "name",
          "volumes", "name",
          "volumeMounts", "mountPath",
          "imagePullSecrets", "name");

  private StrategicMerge() {}

  /** Applies {@code patch} onto {@code target} in place. */
  static void apply(ObjectNode target, ObjectNode patch) {
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.startsWith("$")) {
        throw new ManifestException("strategic merge directive " + name + " is not supported");
      }
      JsonNode current = target.get(name);
      if (value.isNull()) {
        target.remove(name);
      } else if (value.isObject() && current != null && current.isObject()) {
        apply((ObjectNode) current, (ObjectNode) value);
      } else if (value.isArray()
          && current != null
          && current.isArray()
          && mergeKey(name, value) != null) {
        mergeList((ArrayNode) current, (ArrayNode) value, mergeKey(name, value));
      } else {
        target.set(name, value.deepCopy());
      }
    }
  }

  private static String mergeKey(String field, JsonNode patchList) {
    if ("ports".equals(field)) {
      // Container ports merge on containerPort, Service ports on port.
      return patchList.size() > 0 && patchList.get(0).has("containerPort")
          ? "containerPort"
          : "port";
    }
    return MERGE_KEYS.get(field);
  }

  private static void mergeList(ArrayNode current, ArrayNode patch, String key) {
    for (JsonNode element : patch) {
      JsonNode id = element.get(key);
      if (id == null) {
        throw new ManifestException("list element without merge key '" + key + "': " + element);
      }
      ObjectNode match = null;
      for (JsonNode existing : current) {
        if (id.equals(existing.get(key))) {
          match = (ObjectNode) existing;
        }
      }
      if (match == null) {
        current.add(element.deepCopy());
      } else {
        apply(match, (ObjectNode) element);
      }
    }
  }
}
