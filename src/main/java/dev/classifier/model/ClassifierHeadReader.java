package dev.classifier.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.classifier.model.ClassifierHead.FeatureLayout;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a model's classifier head in its ONNX file at start-up: a rank-4 graph output F such that
 * the score output (the first output) is {@code GlobalAveragePool(F) -> Flatten | Reshape ->
 * Gemm(W, B) [-> Softmax | Sigmoid]}, with W and B initializers, plain float or int8/int32 through
 * DequantizeLinear (per tensor or per axis), so that INT8 (QDQ) models explain too. Quantize →
 * Dequantize pairs and Identity nodes on the activation path are looked through; an NHWC map
 * transposed to NCHW right before the pooling is recognised as such.
 *
 * <p>The file is streamed twice (structure, then the two or so initializers needed): the other
 * weights never reach the heap.
 */
public final class ClassifierHeadReader {

  /** Most dense weights we hold: 2^27 floats (512 MB) is far beyond any ImageNet classifier. */
  static final long MAX_WEIGHTS = 1L << 27;

  private ClassifierHeadReader() {}

  /** Never throws for a model that has no head: the lookup then says why. */
  public static HeadLookup read(Path model) {
    try {
      return new Resolution(OnnxGraphIndex.read(model)).resolve();
    } catch (Unsupported e) {
      return HeadLookup.unsupported(e.getMessage());
    } catch (IOException | IllegalArgumentException e) {
      return HeadLookup.unsupported("cannot read the graph of " + model + ": " + e.getMessage());
    }
  }

  private static final class Unsupported extends Exception {
    Unsupported(String message) {
      super(message, null, false, false);
    }
  }

  /** One model's head search: every step either moves up the graph or says why it stops. */
  private static final class Resolution {

    private final OnnxGraphIndex index;

    Resolution(OnnxGraphIndex index) {
      this.index = index;
    }

    HeadLookup resolve() throws Unsupported, IOException {
      List<ValueInfoProto> outputs = index.outputs();
      if (outputs.isEmpty()) {
        throw new Unsupported("the graph has no outputs");
      }
      String scores = outputs.get(0).getName();
      NodeProto node = index.producer(throughQdq(scores));
      if (is(node, "Softmax")) {
        long axis = intAttribute(node, "axis", -1);
        if (axis != 1 && axis != -1) {
          throw new Unsupported("the score output's Softmax runs over axis " + axis);
        }
        node = index.producer(throughQdq(node.getInput(0)));
      } else if (is(node, "Sigmoid")) {
        // independent (multi-label) scores: each class's logit is still the dense layer's output
        node = index.producer(throughQdq(node.getInput(0)));
      }
      if (!is(node, "Gemm")) {
        throw new Unsupported(
            "the score output '"
                + scores
                + "' is not computed by a Gemm (optionally followed by a Softmax) but by "
                + describe(node));
      }
      NodeProto gemm = node;
      if (intAttribute(gemm, "transA", 0) != 0) {
        throw new Unsupported("the dense layer's Gemm transposes its input (transA=1)");
      }
      boolean transB = intAttribute(gemm, "transB", 0) != 0;
      float alpha = floatAttribute(gemm, "alpha", 1f);
      float beta = floatAttribute(gemm, "beta", 1f);

      NodeProto flatten = index.producer(throughQdq(gemm.getInput(0)));
      if (!is(flatten, "Flatten") && !is(flatten, "Reshape")) {
        throw new Unsupported(
            "the dense layer's input is not a Flatten or Reshape but " + describe(flatten));
      }
      if (is(flatten, "Flatten") && intAttribute(flatten, "axis", 1) != 1) {
        throw new Unsupported("the Flatten before the dense layer is not over axis 1");
      }
      NodeProto pool = index.producer(throughQdq(flatten.getInput(0)));
      if (!is(pool, "GlobalAveragePool")) {
        throw new Unsupported(
            "the dense layer does not read a GlobalAveragePool but " + describe(pool));
      }
      String map = pool.getInput(0);
      FeatureLayout layout = FeatureLayout.NCHW;
      NodeProto transpose = index.producer(throughQdq(map));
      if (is(transpose, "Transpose") && permutation(transpose).equals(List.of(0L, 3L, 1L, 2L))) {
        layout = FeatureLayout.NHWC;
        map = transpose.getInput(0);
      }
      ValueInfoProto featureOutput = graphOutputAmong(aliases(map), scores);
      if (featureOutput == null) {
        throw new Unsupported(
            "the feature map '"
                + map
                + "' that feeds GlobalAveragePool is not a graph output (rebuild the model with"
                + " build-model to add it)");
      }
      long[] featureShape = shape(featureOutput);
      if (featureShape != null && featureShape.length != 4) {
        throw new Unsupported(
            "the feature output '"
                + featureOutput.getName()
                + "' has rank "
                + featureShape.length
                + ", not 4");
      }

      Operand weights = operand(gemm.getInput(1), "dense weights");
      Operand bias =
          gemm.getInputCount() > 2 && !gemm.getInput(2).isEmpty()
              ? operand(gemm.getInput(2), "dense bias")
              : null;
      long[] wDims = weights.dims();
      if (wDims.length != 2) {
        throw new Unsupported("the dense weights have shape " + Arrays.toString(wDims));
      }
      long channels = transB ? wDims[1] : wDims[0];
      long classes = transB ? wDims[0] : wDims[1];
      if (channels * classes > MAX_WEIGHTS || channels <= 0 || classes <= 0) {
        throw new Unsupported("the dense weights have shape " + Arrays.toString(wDims));
      }
      Set<String> needed = new LinkedHashSet<>(weights.initializers());
      if (bias != null) {
        needed.addAll(bias.initializers());
      }
      String reshapeShape = is(flatten, "Reshape") ? flatten.getInput(1) : null;
      if (reshapeShape != null) {
        if (index.initializer(reshapeShape) == null) {
          throw new Unsupported("the Reshape before the dense layer has a computed shape");
        }
        needed.add(reshapeShape);
      }
      Map<String, TensorProto> tensors = index.load(needed);
      if (reshapeShape != null) {
        long[] target = longs(tensors.get(reshapeShape));
        if (target.length != 2 || (target[1] != channels && target[1] != -1)) {
          throw new Unsupported(
              "the Reshape before the dense layer makes shape " + Arrays.toString(target));
        }
      }
      checkDimension(scores, outputs.get(0), 1, classes, "classes");
      if (featureShape != null) {
        checkDimension(
            featureOutput.getName(),
            featureOutput,
            layout == FeatureLayout.NCHW ? 1 : 3,
            channels,
            "channels");
      }

      int k = (int) channels;
      int c = (int) classes;
      float[] w = weights.values(tensors);
      weights.initializers().forEach(tensors::remove); // drop the raw copy before the next one
      float[] dense = w;
      if (transB || alpha != 1f) {
        dense = new float[k * c];
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < c; j++) {
            dense[i * c + j] = alpha * (transB ? w[j * k + i] : w[i * c + j]);
          }
        }
      }
      float[] b = new float[c];
      if (bias != null) {
        float[] values = bias.values(tensors);
        if (values.length != 1 && values.length != c) {
          throw new Unsupported(
              "the dense bias has shape "
                  + Arrays.toString(bias.dims())
                  + ", expected ["
                  + c
                  + "]");
        }
        for (int j = 0; j < c; j++) {
          b[j] = beta * values[values.length == 1 ? 0 : j];
        }
      }
      return HeadLookup.found(new ClassifierHead(featureOutput.getName(), layout, k, c, dense, b));
    }

    /**
     * An input of the Gemm: an initializer, or DequantizeLinear over initializers (value, scale and
     * optional zero point).
     */
    private record Operand(
        String name, long[] dims, String value, String scale, String zeroPoint, long axis) {

      List<String> initializers() {
        return scale == null
            ? List.of(value)
            : zeroPoint == null ? List.of(value, scale) : List.of(value, scale, zeroPoint);
      }

      float[] values(Map<String, TensorProto> tensors) {
        return scale == null
            ? TensorValues.floats(tensors.get(value))
            : TensorValues.dequantize(
                tensors.get(value),
                tensors.get(scale),
                zeroPoint == null ? null : tensors.get(zeroPoint),
                (int) axis);
      }
    }

    private Operand operand(String name, String what) throws Unsupported {
      OnnxGraphIndex.Initializer plain = index.initializer(name);
      if (plain != null) {
        requireInternal(plain, what);
        return new Operand(name, plain.dims(), name, null, null, 0);
      }
      NodeProto dq = index.producer(name);
      if (is(dq, "DequantizeLinear")) {
        OnnxGraphIndex.Initializer value = index.initializer(dq.getInput(0));
        OnnxGraphIndex.Initializer scale =
            dq.getInputCount() > 1 ? index.initializer(dq.getInput(1)) : null;
        String zeroPoint =
            dq.getInputCount() > 2 && !dq.getInput(2).isEmpty() ? dq.getInput(2) : null;
        if (value != null
            && scale != null
            && (zeroPoint == null || index.initializer(zeroPoint) != null)) {
          requireInternal(value, what);
          return new Operand(
              name,
              value.dims(),
              value.name(),
              scale.name(),
              zeroPoint,
              intAttribute(dq, "axis", 1));
        }
      }
      throw new Unsupported(
          "the " + what + " '" + name + "' are not an initializer but " + describe(dq));
    }

    private static void requireInternal(OnnxGraphIndex.Initializer initializer, String what)
        throws Unsupported {
      if (initializer.external()) {
        throw new Unsupported("the " + what + " are stored outside the model file (external data)");
      }
    }

    /**
     * The value a Q → DQ pair (or an Identity) passes through, so a QDQ graph's activation path
     * reads like the float graph's.
     */
    private String throughQdq(String value) {
      for (int steps = 0; steps < OnnxGraphIndex.MAX_NODES; steps++) {
        NodeProto node = index.producer(value);
        if (is(node, "Identity")) {
          value = node.getInput(0);
        } else if (is(node, "DequantizeLinear")
            && is(index.producer(node.getInput(0)), "QuantizeLinear")) {
          value = index.producer(node.getInput(0)).getInput(0);
        } else {
          return value;
        }
      }
      return value;
    }

    /**
     * Every name under which the float value {@code value} is visible: itself, what a Q → DQ pair
     * or an Identity makes of it, in either direction.
     */
    private Set<String> aliases(String value) {
      Set<String> seen = new LinkedHashSet<>();
      Deque<String> todo = new ArrayDeque<>(List.of(value));
      while (!todo.isEmpty() && seen.size() < OnnxGraphIndex.MAX_NODES) {
        String v = todo.pop();
        if (!seen.add(v)) {
          continue;
        }
        NodeProto producer = index.producer(v);
        if (is(producer, "Identity")) {
          todo.push(producer.getInput(0));
        } else if (is(producer, "DequantizeLinear")
            && is(index.producer(producer.getInput(0)), "QuantizeLinear")) {
          todo.push(index.producer(producer.getInput(0)).getInput(0));
        }
        for (NodeProto consumer : index.consumers(v)) {
          if (is(consumer, "Identity")) {
            todo.push(consumer.getOutput(0));
          } else if (is(consumer, "QuantizeLinear")) {
            for (NodeProto dq : index.consumers(consumer.getOutput(0))) {
              if (is(dq, "DequantizeLinear")) {
                todo.push(dq.getOutput(0));
              }
            }
          }
        }
      }
      return seen;
    }

    private ValueInfoProto graphOutputAmong(Set<String> names, String scores) {
      for (ValueInfoProto output : index.outputs()) {
        if (!output.getName().equals(scores) && names.contains(output.getName())) {
          return output;
        }
      }
      return null;
    }

    private static void checkDimension(
        String name, ValueInfoProto output, int axis, long expected, String what)
        throws Unsupported {
      long[] dims = shape(output);
      if (dims != null && dims.length > axis && dims[axis] > 0 && dims[axis] != expected) {
        throw new Unsupported(
            "'" + name + "' has " + dims[axis] + " " + what + " but the dense layer " + expected);
      }
    }

    /** Declared dimensions, -1 where symbolic; null when the output declares no shape. */
    private static long[] shape(ValueInfoProto output) {
      if (!output.getType().hasTensorType() || !output.getType().getTensorType().hasShape()) {
        return null;
      }
      return output.getType().getTensorType().getShape().getDimList().stream()
          .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1)
          .toArray();
    }

    private static List<Long> permutation(NodeProto transpose) {
      for (AttributeProto attribute : transpose.getAttributeList()) {
        if (attribute.getName().equals("perm")) {
          return attribute.getIntsList();
        }
      }
      return List.of();
    }

    private static long[] longs(TensorProto tensor) {
      if (tensor.getDataType() != TensorProto.DataType.INT64_VALUE) {
        return new long[0];
      }
      if (!tensor.getRawData().isEmpty()) {
        long[] values = new long[tensor.getRawData().size() / 8];
        tensor
            .getRawData()
            .asReadOnlyByteBuffer()
            .order(ByteOrder.LITTLE_ENDIAN)
            .asLongBuffer()
            .get(values);
        return values;
      }
      return tensor.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }
  }

  private static boolean is(NodeProto node, String op) {
    return node != null
        && (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"))
        && node.getOpType().equals(op);
  }

  private static String describe(NodeProto node) {
    return node == null ? "a graph input or constant" : "a " + node.getOpType() + " node";
  }

  private static long intAttribute(NodeProto node, String name, long fallback) {
    for (AttributeProto attribute : node.getAttributeList()) {
      if (attribute.getName().equals(name)) {
        return attribute.getI();
      }
    }
    return fallback;
  }

  private static float floatAttribute(NodeProto node, String name, float fallback) {
    for (AttributeProto attribute : node.getAttributeList()) {
      if (attribute.getName().equals(name)) {
        return attribute.getF();
      }
    }
    return fallback;
  }
}
