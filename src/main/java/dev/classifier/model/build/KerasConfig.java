package dev.classifier.model.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Keras 3 model config ({@code config.json} of a {@code .keras} archive, or {@code
 * model.to_json()}) into the flat list of its layers, nested models opened in place, each with the
 * HDF5 group its weights live under in {@code model.weights.h5}. Keras names those groups not by
 * the layer's name but by its class in snake case, numbered per class in layer order ({@code
 * layers/separable_conv2d_7}, {@code layers/functional/layers/conv2d}); this class reproduces that.
 *
 * <p>Bounded: the JSON's size ({@link KerasArchive#MAX_CONFIG_BYTES}), nesting depth ({@link
 * #MAX_JSON_DEPTH}), the layers in all ({@link #MAX_LAYERS}) and models inside models ({@link
 * #MAX_MODEL_NESTING}).
 */
final class KerasConfig {

  /** Deepest JSON nesting read: the Xception base nested in a model reaches 14. */
  static final int MAX_JSON_DEPTH = 64;

  /** Most layers in all nested models together: Xception has 134. */
  static final int MAX_LAYERS = 1_000;

  /** Models inside models: the transfer-learning guide nests one. */
  static final int MAX_MODEL_NESTING = 2;

  /**
   * One layer.
   *
   * @param weights the HDF5 group of its variables, e.g. {@code layers/functional/layers/dense}
   * @param container the model it belongs to (its name), for messages
   * @param chained whether it reads exactly one tensor, the output of the layer before it (always
   *     so in a Sequential; not looked at in a model that holds Xception, whose layers are matched
   *     one by one)
   */
  record Layer(
      String className,
      String name,
      JsonNode config,
      String weights,
      String container,
      boolean chained) {

    String describe() {
      return "layer '" + name + "' (" + className + ")";
    }
  }

  /**
   * The config as flat layers.
   *
   * @param layers every layer, nested models replaced by their own layers, input layers kept
   */
  record Model(String className, List<Layer> layers) {}

  private static final JsonMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_JSON_DEPTH)
                          .maxDocumentLength(KerasArchive.MAX_CONFIG_BYTES)
                          .build())
                  .build())
          .build();

  private KerasConfig() {}

  static Model parse(byte[] json) {
    if (json.length > KerasArchive.MAX_CONFIG_BYTES) {
      throw new KerasWeightsException(
          "the model config has "
              + json.length
              + " bytes; at most "
              + KerasArchive.MAX_CONFIG_BYTES
              + " are read");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new KerasWeightsException(
          "the model config is not valid JSON within the limits (depth "
              + MAX_JSON_DEPTH
              + "): "
              + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new KerasWeightsException("the model config is not a JSON object");
    }
    String className = text(root, "class_name");
    if (!isModel(className)) {
      throw new KerasWeightsException(
          "the model config describes a '" + className + "', not a Functional or Sequential model");
    }
    List<Layer> out = new ArrayList<>();
    flatten(root, "", "model", 0, out);
    return new Model(className, List.copyOf(out));
  }

  static boolean isModel(String className) {
    return className.equals("Functional")
        || className.equals("Sequential")
        || className.equals("Model");
  }

  private static void flatten(
      JsonNode model, String prefix, String container, int depth, List<Layer> out) {
    JsonNode layers = model.path("config").path("layers");
    if (!layers.isArray()) {
      throw new KerasWeightsException("model '" + container + "' in the config has no layer list");
    }
    Map<String, Integer> used = new HashMap<>();
    String previous = null;
    // a Sequential is a chain by definition; Xception's own graph is matched layer by layer
    boolean chain = !text(model, "class_name").equals("Sequential") && !isXception(layers);
    for (JsonNode layer : layers) {
      if (out.size() >= MAX_LAYERS) {
        throw new KerasWeightsException("the model config has more than " + MAX_LAYERS + " layers");
      }
      String className = text(layer, "class_name");
      String name =
          layer.path("config").path("name").isString()
              ? layer.path("config").path("name").asString()
              : text(layer, "name");
      String key = snakeCase(className);
      int n = used.merge(key, 1, Integer::sum) - 1;
      String group = prefix + "layers/" + (n == 0 ? key : key + "_" + n);
      boolean chained = !chain || className.equals("InputLayer") || reads(layer, previous);
      previous = name;
      if (isModel(className)) {
        if (!chained) {
          throw new KerasWeightsException(
              "model '"
                  + name
                  + "' inside model '"
                  + container
                  + "' does not simply read the layer before it: only a chain of layers around"
                  + " Xception is supported");
        }
        if (depth + 1 > MAX_MODEL_NESTING) {
          throw new KerasWeightsException(
              "model '" + name + "' is nested more than " + MAX_MODEL_NESTING + " models deep");
        }
        flatten(layer, group + "/", name, depth + 1, out);
      } else {
        out.add(new Layer(className, name, layer.path("config"), group, container, chained));
      }
    }
  }

  /** A model that holds Keras' Xception is matched layer by layer elsewhere, not as a chain. */
  private static boolean isXception(JsonNode layers) {
    for (JsonNode layer : layers) {
      if ("block1_conv1".equals(layer.path("config").path("name").asString(""))) {
        return true;
      }
    }
    return false;
  }

  /** The layer reads exactly one tensor, the output of the layer before it. */
  private static boolean reads(JsonNode layer, String previous) {
    JsonNode nodes = layer.path("inbound_nodes");
    JsonNode args = nodes.path(0).path("args");
    String from = args.path(0).path("config").path("keras_history").path(0).asString("");
    return nodes.size() == 1 && args.size() == 1 && from.equals(previous);
  }

  /**
   * Keras' {@code naming.to_snake_case}: "GlobalAveragePooling2D" -> "global_average_pooling2d".
   */
  static String snakeCase(String className) {
    String s = className.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (!v.isString()) {
      throw new KerasWeightsException("the model config lacks '" + field + "' where expected");
    }
    return v.asString();
  }
}
