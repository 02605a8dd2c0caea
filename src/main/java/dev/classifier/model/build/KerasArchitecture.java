package dev.classifier.model.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Recognises, in a Keras 3 config, the models this builder can write, and refuses everything else
 * before any weight is read, naming the layer and its class: optional input preprocessing ({@code
 * Rescaling}, {@code Normalization}; {@code Random*} augmentation is identity at inference), Keras'
 * Xception layer for layer (full, or as a base with {@code include_top=False}), then a head of one
 * global pooling, {@code Dropout}s and {@code Dense} layers, the last one giving the scores.
 */
final class KerasArchitecture {

  /** Smallest input Keras' Xception accepts. */
  static final int MIN_INPUT_SIZE = 71;

  /** Largest input edge: the graph's work and the service's tensors grow with its square. */
  static final int MAX_INPUT_SIZE = 1024;

  /** Layers that do nothing at inference, as Keras runs them with {@code training=False}. */
  static final Set<String> IDENTITY =
      Set.of(
          "RandomFlip",
          "RandomRotation",
          "RandomZoom",
          "RandomTranslation",
          "RandomContrast",
          "RandomBrightness",
          "Dropout",
          "GaussianNoise",
          "GaussianDropout");

  /** Activations a hidden dense layer may have. */
  static final Set<String> HIDDEN_ACTIVATIONS =
      Set.of("linear", "relu", "sigmoid", "tanh", "silu", "swish", "elu");

  /** Activations the last dense layer may have. */
  static final Set<String> SCORE_ACTIVATIONS = Set.of("linear", "softmax", "sigmoid");

  enum Pooling {
    AVG,
    MAX
  }

  /** A dense layer of the head: kernel {@code (in, units)} at vars/0, bias at vars/1. */
  record Dense(String layer, String weights, int units, String activation, boolean bias) {}

  /**
   * What to build.
   *
   * @param body canonical Xception layer name ({@link XceptionSpec}) to its HDF5 group
   * @param bodyLayer the name of the model that holds the Xception layers
   */
  record Plan(
      int inputSize,
      List<KerasPreprocessing.Preprocess> preprocessing,
      Map<String, String> body,
      String bodyLayer,
      Pooling pooling,
      List<Dense> head) {

    int classes() {
      return head.get(head.size() - 1).units();
    }
  }

  private KerasArchitecture() {}

  static Plan recognise(KerasConfig.Model model) {
    List<KerasConfig.Layer> layers = model.layers();
    int i = 0;
    Integer size = null;
    List<KerasPreprocessing.Preprocess> preprocessing = new ArrayList<>();
    // Input and preprocessing, up to the Xception layers
    for (; i < layers.size() && !layers.get(i).name().equals("block1_conv1"); i++) {
      KerasConfig.Layer l = layers.get(i);
      chained(l);
      switch (l.className()) {
        case "InputLayer" -> size = inputSize(l, size);
        case "Rescaling" -> preprocessing.add(KerasPreprocessing.rescaling(l));
        case "Normalization" -> preprocessing.add(KerasPreprocessing.normalization(l));
        default -> {
          if (!IDENTITY.contains(l.className()) || l.className().equals("Dropout")) {
            throw refused(
                l,
                "is not supported before the Xception layers (supported: InputLayer, Rescaling, Normalization, "
                    + String.join(
                        ", ",
                        IDENTITY.stream().filter(c -> c.startsWith("Random")).sorted().toList())
                    + ")");
          }
        }
      }
    }
    if (i == layers.size()) {
      throw new KerasWeightsException(
          "the model has no Xception layers (no layer 'block1_conv1'); only Keras' Xception and"
              + " models built on it are supported");
    }
    if (size == null) {
      throw new KerasWeightsException("the model config declares no input shape");
    }
    String bodyLayer = layers.get(i).container();
    Map<String, String> body = new LinkedHashMap<>();
    i = XceptionLayers.match(layers, i, body);
    List<Dense> head = new ArrayList<>();
    Pooling pooling = null;
    for (; i < layers.size(); i++) {
      KerasConfig.Layer l = layers.get(i);
      chained(l);
      switch (l.className()) {
        case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
          if (pooling != null || !head.isEmpty()) {
            throw refused(l, "is a second pooling or follows a dense layer");
          }
          if (l.config().path("keepdims").asBoolean(false)
              || !l.config()
                  .path("data_format")
                  .asString("channels_last")
                  .equals("channels_last")) {
            throw refused(l, "keeps dimensions or is not channels_last");
          }
          pooling = l.className().startsWith("GlobalAverage") ? Pooling.AVG : Pooling.MAX;
        }
        case "Dense" -> {
          if (pooling == null) {
            throw refused(l, "reads the 4-D feature map: a global pooling layer must come first");
          }
          head.add(dense(l));
        }
        default -> {
          if (!IDENTITY.contains(l.className())) {
            throw refused(
                l,
                "is not supported after the Xception layers (supported: GlobalAveragePooling2D, GlobalMaxPooling2D, Dropout, Dense)");
          }
        }
      }
    }
    if (head.isEmpty()) {
      throw new KerasWeightsException(
          "the model ends without a Dense layer: only classifiers (pooling, then Dense) are supported");
    }
    for (int d = 0; d < head.size() - 1; d++) {
      if (!HIDDEN_ACTIVATIONS.contains(head.get(d).activation())) {
        throw new KerasWeightsException(
            "hidden dense layer '"
                + head.get(d).layer()
                + "' (Dense) has activation '"
                + head.get(d).activation()
                + "'; supported: "
                + HIDDEN_ACTIVATIONS.stream().sorted().toList());
      }
    }
    Dense last = head.get(head.size() - 1);
    if (!SCORE_ACTIVATIONS.contains(last.activation())) {
      throw new KerasWeightsException(
          "the last dense layer '"
              + last.layer()
              + "' (Dense) has activation '"
              + last.activation()
              + "'; supported: linear, softmax, sigmoid");
    }
    return new Plan(size, List.copyOf(preprocessing), body, bodyLayer, pooling, List.copyOf(head));
  }

  /** Checked once the class is known to be supported, so an unsupported one is named first. */
  private static void chained(KerasConfig.Layer l) {
    if (!l.chained() && (IDENTITY.contains(l.className()) || OWN.contains(l.className()))) {
      throw refused(
          l,
          "in model '"
              + l.container()
              + "' does not simply read the layer before it: only a chain of layers around"
              + " Xception is supported");
    }
  }

  /** The layers this class accepts besides the identity ones. */
  private static final Set<String> OWN =
      Set.of(
          "InputLayer",
          "Rescaling",
          "Normalization",
          "GlobalAveragePooling2D",
          "GlobalMaxPooling2D",
          "Dense");

  private static Integer inputSize(KerasConfig.Layer l, Integer known) {
    JsonNode shape = l.config().path("batch_shape");
    if (shape.isMissingNode() || shape.isNull()) {
      shape = l.config().path("batch_input_shape");
    }
    if (!shape.isArray() || shape.size() != 4 || shape.path(3).asInt(0) != 3) {
      throw refused(l, "has shape " + shape + "; expected (None, height, width, 3)");
    }
    if (shape.path(1).isNull() && shape.path(2).isNull() && known != null) {
      return known;
    }
    int h = shape.path(1).asInt(0);
    int w = shape.path(2).asInt(0);
    if (h != w || h < MIN_INPUT_SIZE || h > MAX_INPUT_SIZE) {
      throw refused(
          l,
          "has input "
              + h
              + "x"
              + w
              + "; supported: square, "
              + MIN_INPUT_SIZE
              + " to "
              + MAX_INPUT_SIZE
              + " pixels");
    }
    if (known != null && known != h) {
      throw refused(l, "takes " + h + " pixels but the model's input has " + known);
    }
    return h;
  }

  private static Dense dense(KerasConfig.Layer l) {
    JsonNode c = l.config();
    int units = c.path("units").asInt(0);
    if (units < 1 || units > 100_000) {
      throw refused(l, "has " + c.path("units") + " units; supported: 1 to 100000");
    }
    if (!c.path("quantization_config").isNull() && !c.path("quantization_config").isMissingNode()) {
      throw refused(l, "is quantized by Keras");
    }
    String activation = c.path("activation").isString() ? c.path("activation").asString() : "?";
    return new Dense(l.name(), l.weights(), units, activation, c.path("use_bias").asBoolean(true));
  }

  static KerasWeightsException refused(KerasConfig.Layer l, String why) {
    return new KerasWeightsException(l.describe() + " " + why);
  }
}
