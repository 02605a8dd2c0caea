package dev.classifier.model.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weighted layers of {@code keras.applications.Xception(include_top=True)} with the exact Keras
 * shapes of their weights, in Keras' layer order. The four residual shortcut convolutions and their
 * batch norms have no name in Keras' code, so they get canonical names here ({@code
 * block2_shortcut}, {@code block2_shortcut_bn}, ...) and are found in a weights file by shape.
 */
final class XceptionSpec {

  static final double BN_EPSILON = 1e-3;
  static final int INPUT_SIZE = 299;
  static final int CLASSES = 1000;
  static final int FEATURES = 2048;

  enum Kind {
    CONV,
    SEPARABLE,
    BATCH_NORM,
    DENSE
  }

  /**
   * @param name canonical name, equal to the Keras layer name for every named layer
   * @param named false for the shortcut layers whose name a file generates (conv2d_1,
   *     batch_normalization_1, ...)
   * @param weights role (Keras weight name without the layer prefix and {@code :0}) to shape, in
   *     Keras order
   */
  record Layer(String name, Kind kind, boolean named, Map<String, int[]> weights) {

    long parameters() {
      return weights.values().stream().mapToLong(WeightTensor::size).sum();
    }

    int[] shape(String role) {
      return weights.get(role);
    }
  }

  static final String[] BN_ROLES = {"gamma", "beta", "moving_mean", "moving_variance"};

  private static final List<Layer> LAYERS = build();

  private XceptionSpec() {}

  static List<Layer> layers() {
    return LAYERS;
  }

  static Layer layer(String name) {
    return LAYERS.stream()
        .filter(l -> l.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no such Xception layer: " + name));
  }

  static long parameters() {
    return LAYERS.stream().mapToLong(Layer::parameters).sum();
  }

  /** Batch-norm moving mean and variance: counted by Keras as non-trainable. */
  static long nonTrainableParameters() {
    return LAYERS.stream()
        .filter(l -> l.kind() == Kind.BATCH_NORM)
        .mapToLong(l -> 2L * l.shape("gamma")[0])
        .sum();
  }

  private static List<Layer> build() {
    List<Layer> out = new ArrayList<>();
    conv(out, "block1_conv1", 3, 3, 32, true);
    bn(out, "block1_conv1_bn", 32, true);
    conv(out, "block1_conv2", 3, 32, 64, true);
    bn(out, "block1_conv2_bn", 64, true);
    int[][] entry = {{2, 64, 128}, {3, 128, 256}, {4, 256, 728}};
    for (int[] b : entry) {
      String p = "block" + b[0];
      separable(out, p + "_sepconv1", b[1], b[2]);
      bn(out, p + "_sepconv1_bn", b[2], true);
      separable(out, p + "_sepconv2", b[2], b[2]);
      bn(out, p + "_sepconv2_bn", b[2], true);
      conv(out, p + "_shortcut", 1, b[1], b[2], false);
      bn(out, p + "_shortcut_bn", b[2], false);
    }
    for (int block = 5; block <= 12; block++) {
      for (int i = 1; i <= 3; i++) {
        String name = "block" + block + "_sepconv" + i;
        separable(out, name, 728, 728);
        bn(out, name + "_bn", 728, true);
      }
    }
    separable(out, "block13_sepconv1", 728, 728);
    bn(out, "block13_sepconv1_bn", 728, true);
    separable(out, "block13_sepconv2", 728, 1024);
    bn(out, "block13_sepconv2_bn", 1024, true);
    conv(out, "block13_shortcut", 1, 728, 1024, false);
    bn(out, "block13_shortcut_bn", 1024, false);
    separable(out, "block14_sepconv1", 1024, 1536);
    bn(out, "block14_sepconv1_bn", 1536, true);
    separable(out, "block14_sepconv2", 1536, FEATURES);
    bn(out, "block14_sepconv2_bn", FEATURES, true);
    Map<String, int[]> dense = new LinkedHashMap<>();
    dense.put("kernel", new int[] {FEATURES, CLASSES});
    dense.put("bias", new int[] {CLASSES});
    out.add(new Layer("predictions", Kind.DENSE, true, dense));
    return List.copyOf(out);
  }

  private static void conv(
      List<Layer> out, String name, int k, int in, int outChannels, boolean named) {
    out.add(new Layer(name, Kind.CONV, named, Map.of("kernel", new int[] {k, k, in, outChannels})));
  }

  private static void separable(List<Layer> out, String name, int in, int outChannels) {
    Map<String, int[]> w = new LinkedHashMap<>();
    w.put("depthwise_kernel", new int[] {3, 3, in, 1});
    w.put("pointwise_kernel", new int[] {1, 1, in, outChannels});
    out.add(new Layer(name, Kind.SEPARABLE, true, w));
  }

  private static void bn(List<Layer> out, String name, int channels, boolean named) {
    Map<String, int[]> w = new LinkedHashMap<>();
    for (String role : BN_ROLES) {
      w.put(role, new int[] {channels});
    }
    out.add(new Layer(name, Kind.BATCH_NORM, named, w));
  }
}
