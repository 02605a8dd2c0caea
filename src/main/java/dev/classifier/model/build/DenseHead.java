package dev.classifier.model.build;

import java.util.List;

/**
 * Writes the classifier on top of Xception's last feature map: global pooling, the dense layers
 * with their activations, and the score output — a softmax, a sigmoid for several sigmoid units,
 * and for a single unit (a two-class model) the two-way softmax over {@code [0, z]}, which is
 * {@code [1 - sigmoid(z), sigmoid(z)]} and keeps the head a Gemm → Softmax that explains exactly.
 */
final class DenseHead {

  private DenseHead() {}

  /**
   * @return the number of classes the score output has
   */
  static int write(
      OnnxGraphWriter g,
      String features,
      boolean maxPooling,
      List<XceptionGraph.Dense> dense,
      String output) {
    String x;
    x = g.node(maxPooling ? "GlobalMaxPool" : "GlobalAveragePool", "pool", new String[] {features});
    x = g.node("Flatten", "flatten", new String[] {x}, OnnxGraphWriter.integer("axis", 1));
    for (int d = 0; d < dense.size() - 1; d++) {
      x =
          activation(
              g, gemm(g, x, "dense" + d, dense.get(d).kernel(), dense.get(d).bias()), dense.get(d));
    }
    XceptionGraph.Dense last = dense.get(dense.size() - 1);
    int units = last.kernel().shape()[1];
    int classes = units == 1 ? 2 : units;
    WeightTensor kernel = last.kernel();
    WeightTensor bias = last.bias();
    if (units == 1) {
      // one logit z as the two classes [0, z]: their softmax is [1 - sigmoid(z), sigmoid(z)]
      int in = kernel.shape()[0];
      float[] two = new float[in * 2];
      for (int k = 0; k < in; k++) {
        two[k * 2 + 1] = kernel.data()[k];
      }
      kernel = new WeightTensor(new int[] {in, 2}, two);
      bias = new WeightTensor(new int[] {2}, new float[] {0, bias.data()[0]});
    }
    x = gemm(g, x, "predictions", kernel, bias);
    boolean sigmoid = units > 1 && last.activation().equals("sigmoid");
    if (sigmoid) {
      g.namedNode("Sigmoid", output, new String[] {x});
    } else {
      g.namedNode("Softmax", output, new String[] {x}, OnnxGraphWriter.integer("axis", 1));
    }
    return classes;
  }

  private static String gemm(
      OnnxGraphWriter g, String x, String name, WeightTensor kernel, WeightTensor bias) {
    int[] s = kernel.shape();
    String w = g.initializer(name + "_W", new long[] {s[0], s[1]}, kernel.data());
    String b = g.initializer(name + "_B", new long[] {s[1]}, bias.data());
    return g.node("Gemm", name.equals("predictions") ? "logits" : name, new String[] {x, w, b});
  }

  private static String activation(OnnxGraphWriter g, String x, XceptionGraph.Dense layer) {
    return switch (layer.activation()) {
      case "linear" -> x;
      case "relu" -> g.node("Relu", "dense_relu", new String[] {x});
      case "sigmoid" -> g.node("Sigmoid", "dense_sigmoid", new String[] {x});
      case "tanh" -> g.node("Tanh", "dense_tanh", new String[] {x});
      case "elu" -> g.node("Elu", "dense_elu", new String[] {x});
      case "silu", "swish" ->
          g.node(
              "Mul",
              "dense_silu",
              new String[] {x, g.node("Sigmoid", "dense_sigmoid", new String[] {x})});
      default -> throw new IllegalArgumentException("unsupported activation " + layer.activation());
    };
  }
}
