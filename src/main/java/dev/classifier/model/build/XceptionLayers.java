package dev.classifier.model.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Keras 3's {@code keras.applications.Xception} as it appears in a config, layer by layer in Keras'
 * order: class, name (null where Keras generates one: the four residual shortcuts and the adds) and
 * the settings the ONNX graph hard-codes (strides, padding, no bias, ReLU, batch-norm epsilon). A
 * config that differs anywhere is refused with the first layer that differs.
 */
final class XceptionLayers {

  private record Step(
      String className, String name, String canonical, int stride, String padding) {}

  private static final List<Step> STEPS = steps();

  private XceptionLayers() {}

  /**
   * Matches the Xception layers starting at {@code layers[from]} and records the HDF5 group of each
   * weighted one under its {@link XceptionSpec} name.
   *
   * @return the index after the last Xception layer ({@code block14_sepconv2_act})
   */
  static int match(List<KerasConfig.Layer> layers, int from, Map<String, String> groups) {
    String container = layers.get(from).container();
    for (int s = 0; s < STEPS.size(); s++) {
      Step step = STEPS.get(s);
      int i = from + s;
      if (i >= layers.size()) {
        throw new KerasWeightsException(
            "the Xception layers end before " + describe(step) + ": not Keras' Xception");
      }
      KerasConfig.Layer l = layers.get(i);
      if (!l.className().equals(step.className())
          || (step.name() != null && !l.name().equals(step.name()))
          || !l.container().equals(container)) {
        throw KerasArchitecture.refused(
            l, "is where Keras' Xception has " + describe(step) + ": not Keras' Xception");
      }
      check(l, step);
      if (step.canonical() != null) {
        groups.put(step.canonical(), l.weights());
      }
    }
    return from + STEPS.size();
  }

  private static void check(KerasConfig.Layer l, Step step) {
    JsonNode c = l.config();
    switch (step.className()) {
      case "Conv2D", "SeparableConv2D" -> {
        boolean ok =
            c.path("strides").path(0).asInt(-1) == step.stride()
                && c.path("strides").path(1).asInt(-1) == step.stride()
                && c.path("padding").asString("").equals(step.padding())
                && !c.path("use_bias").asBoolean(true)
                && c.path("activation").asString("").equals("linear")
                && c.path("dilation_rate").path(0).asInt(1) == 1
                && c.path("dilation_rate").path(1).asInt(1) == 1
                && c.path("depth_multiplier").asInt(1) == 1;
        if (!ok) {
          throw KerasArchitecture.refused(
              l, "differs from Keras' Xception (strides, padding, bias, activation or dilation)");
        }
      }
      case "BatchNormalization" -> {
        if (Math.abs(c.path("epsilon").asDouble(0) - XceptionSpec.BN_EPSILON) > 1e-12
            || !c.path("center").asBoolean(true)
            || !c.path("scale").asBoolean(true)) {
          throw KerasArchitecture.refused(
              l, "differs from Keras' Xception (epsilon " + c.path("epsilon") + ", center, scale)");
        }
      }
      case "Activation" -> {
        if (!c.path("activation").asString("").equals("relu")) {
          throw KerasArchitecture.refused(l, "is not a ReLU");
        }
      }
      case "MaxPooling2D" -> {
        if (c.path("pool_size").path(0).asInt(0) != 3
            || c.path("strides").path(0).asInt(0) != 2
            || !c.path("padding").asString("").equals("same")) {
          throw KerasArchitecture.refused(l, "is not a 3x3/2 'same' max pooling");
        }
      }
      default -> {
        // Add: nothing to configure
      }
    }
  }

  private static String describe(Step step) {
    return step.name() == null
        ? "a " + step.className()
        : "layer '" + step.name() + "' (" + step.className() + ")";
  }

  private static List<Step> steps() {
    List<Step> s = new ArrayList<>();
    conv(s, "block1_conv1", "block1_conv1", 2, "valid");
    bnAct(s, "block1_conv1");
    conv(s, "block1_conv2", "block1_conv2", 1, "valid");
    bnAct(s, "block1_conv2");
    for (int block = 2; block <= 4; block++) {
      String p = "block" + block;
      if (block > 2) {
        act(s, p + "_sepconv1_act");
      }
      sep(s, p + "_sepconv1");
      act(s, p + "_sepconv2_act");
      sep(s, p + "_sepconv2");
      shortcut(s, p);
    }
    for (int block = 5; block <= 12; block++) {
      for (int i = 1; i <= 3; i++) {
        act(s, "block" + block + "_sepconv" + i + "_act");
        sep(s, "block" + block + "_sepconv" + i);
      }
      s.add(new Step("Add", null, null, 0, null));
    }
    act(s, "block13_sepconv1_act");
    sep(s, "block13_sepconv1");
    act(s, "block13_sepconv2_act");
    sep(s, "block13_sepconv2");
    shortcut(s, "block13");
    sep(s, "block14_sepconv1");
    act(s, "block14_sepconv1_act");
    sep(s, "block14_sepconv2");
    act(s, "block14_sepconv2_act");
    return List.copyOf(s);
  }

  private static void conv(List<Step> s, String name, String canonical, int stride, String pad) {
    s.add(new Step("Conv2D", name, canonical, stride, pad));
  }

  private static void bnAct(List<Step> s, String conv) {
    s.add(new Step("BatchNormalization", conv + "_bn", conv + "_bn", 0, null));
    act(s, conv + "_act");
  }

  /** Separable 3x3 'same' convolution and its batch norm. */
  private static void sep(List<Step> s, String name) {
    s.add(new Step("SeparableConv2D", name, name, 1, "same"));
    s.add(new Step("BatchNormalization", name + "_bn", name + "_bn", 0, null));
  }

  private static void act(List<Step> s, String name) {
    s.add(new Step("Activation", name, null, 0, null));
  }

  /** The residual 1x1/2 convolution (unnamed), the block's pooling, its batch norm, the add. */
  private static void shortcut(List<Step> s, String block) {
    s.add(new Step("Conv2D", null, block + "_shortcut", 2, "same"));
    s.add(new Step("MaxPooling2D", block + "_pool", null, 0, null));
    s.add(new Step("BatchNormalization", null, block + "_shortcut_bn", 0, null));
    s.add(new Step("Add", null, null, 0, null));
  }
}
