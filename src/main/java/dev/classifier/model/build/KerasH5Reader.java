package dev.classifier.model.build;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a Keras 2 HDF5 weights file ({@code save_weights}: root attribute {@code layer_names}, one
 * group per layer with attribute {@code weight_names}, datasets at {@code
 * <layer>/<layer>/<weight>:0}) into shape-checked {@link XceptionWeights}. Named layers are looked
 * up by name; the four unnamed shortcut convolutions and batch norms, whose names Keras generates
 * (conv2d_1, batch_normalization_1, ...), by their order and shapes.
 */
final class KerasH5Reader {

  private KerasH5Reader() {}

  private record FileLayer(String name, Map<String, WeightTensor> weights) {

    String describe() {
      return name
          + " "
          + weights.entrySet().stream()
              .map(e -> e.getKey() + " " + WeightTensor.describe(e.getValue().shape()))
              .collect(Collectors.joining(", ", "[", "]"));
    }
  }

  static XceptionWeights read(Path file) {
    String current = "(file header)";
    Map<String, FileLayer> inFile = new LinkedHashMap<>();
    try (HdfFile hdf = new HdfFile(file)) {
      Group root =
          hdf.getChildren().containsKey("model_weights")
              ? (Group) hdf.getChild("model_weights")
              : hdf;
      current = "(attribute layer_names)";
      for (String name : layerNames(root)) {
        current = name;
        Node node = root.getChild(name);
        if (!(node instanceof Group group)) {
          throw new KerasWeightsException(
              "layer '" + name + "' is listed in layer_names but has no group in " + file);
        }
        Map<String, WeightTensor> weights = new LinkedHashMap<>();
        for (String weightName : strings(group.getAttribute("weight_names"))) {
          weights.put(role(weightName), tensor(group.getDatasetByPath(weightName)));
        }
        if (!weights.isEmpty()) {
          inFile.put(name, new FileLayer(name, weights));
        }
      }
    } catch (KerasWeightsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KerasWeightsException(
          "cannot read Keras weights file "
              + file
              + " at layer "
              + current
              + ": the file is truncated, damaged or not a Keras HDF5 weights file ("
              + e.getMessage()
              + ")",
          e);
    }
    return match(inFile, file);
  }

  private static XceptionWeights match(Map<String, FileLayer> inFile, Path file) {
    List<FileLayer> unnamed = new ArrayList<>(inFile.values());
    for (XceptionSpec.Layer spec : XceptionSpec.layers()) {
      if (spec.named()) {
        unnamed.removeIf(l -> l.name().equals(spec.name()));
      }
    }
    Map<String, Map<String, WeightTensor>> matched = new LinkedHashMap<>();
    for (XceptionSpec.Layer spec : XceptionSpec.layers()) {
      FileLayer layer = spec.named() ? inFile.get(spec.name()) : takeByShape(unnamed, spec);
      if (layer == null) {
        throw new KerasWeightsException(
            spec.named()
                ? "Keras weights file "
                    + file
                    + " has no layer '"
                    + spec.name()
                    + "' (expected "
                    + expected(spec)
                    + ")"
                : "Keras weights file "
                    + file
                    + " has no unnamed layer for "
                    + spec.name()
                    + " (expected "
                    + expected(spec)
                    + "); unnamed layers found: "
                    + unnamed.stream().map(FileLayer::describe).collect(Collectors.joining("; ")));
      }
      Map<String, WeightTensor> byRole = new LinkedHashMap<>();
      for (Map.Entry<String, int[]> w : spec.weights().entrySet()) {
        WeightTensor t = layer.weights().get(w.getKey());
        if (t == null) {
          throw new KerasWeightsException(
              "layer '"
                  + layer.name()
                  + "' has no weight '"
                  + w.getKey()
                  + "' (expected shape "
                  + WeightTensor.describe(w.getValue())
                  + "); found "
                  + layer.describe());
        }
        if (!t.hasShape(w.getValue())) {
          throw new KerasWeightsException(
              "layer '"
                  + layer.name()
                  + "' weight '"
                  + w.getKey()
                  + "': expected shape "
                  + WeightTensor.describe(w.getValue())
                  + ", found "
                  + WeightTensor.describe(t.shape()));
        }
        byRole.put(w.getKey(), t);
      }
      matched.put(spec.name(), byRole);
    }
    return new XceptionWeights(matched);
  }

  /**
   * First unnamed layer, in file order, whose weights have exactly the shapes the shortcut layer
   * needs.
   */
  private static FileLayer takeByShape(List<FileLayer> unnamed, XceptionSpec.Layer spec) {
    for (Iterator<FileLayer> it = unnamed.iterator(); it.hasNext(); ) {
      FileLayer candidate = it.next();
      boolean fits =
          candidate.weights().size() == spec.weights().size()
              && spec.weights().entrySet().stream()
                  .allMatch(
                      w -> {
                        WeightTensor t = candidate.weights().get(w.getKey());
                        return t != null && t.hasShape(w.getValue());
                      });
      if (fits) {
        it.remove();
        return candidate;
      }
    }
    return null;
  }

  private static String expected(XceptionSpec.Layer spec) {
    return spec.weights().entrySet().stream()
        .map(e -> e.getKey() + " " + WeightTensor.describe(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  /**
   * Keras splits attributes larger than the HDF5 header limit into layer_names0, layer_names1, ...
   */
  private static List<String> layerNames(Group root) {
    Attribute whole = root.getAttribute("layer_names");
    if (whole != null) {
      return strings(whole);
    }
    List<String> names = new ArrayList<>();
    for (int chunk = 0; root.getAttribute("layer_names" + chunk) != null; chunk++) {
      names.addAll(strings(root.getAttribute("layer_names" + chunk)));
    }
    if (names.isEmpty()) {
      throw new KerasWeightsException("no 'layer_names' attribute: not a Keras weights file");
    }
    return names;
  }

  /**
   * Keras writes names as fixed-length byte strings; a layer without weights gets an empty (float)
   * array.
   */
  private static List<String> strings(Attribute attribute) {
    if (attribute == null || attribute.isEmpty()) {
      return List.of();
    }
    Object data = attribute.getData();
    if (data instanceof String[] array) {
      return Arrays.asList(array);
    }
    if (data instanceof String single) {
      return List.of(single);
    }
    return List.of();
  }

  /** "block1_conv1/kernel:0" -> "kernel". */
  private static String role(String weightName) {
    String last = weightName.substring(weightName.lastIndexOf('/') + 1);
    int colon = last.indexOf(':');
    return colon < 0 ? last : last.substring(0, colon);
  }

  private static WeightTensor tensor(Dataset dataset) {
    Object flat = dataset.getDataFlat();
    float[] values;
    if (flat instanceof float[] f) {
      values = f;
    } else if (flat instanceof double[] d) {
      values = KerasLayouts.toFloats(d);
    } else {
      throw new KerasWeightsException(
          "dataset "
              + dataset.getPath()
              + " is not floating point ("
              + dataset.getJavaType()
              + ")");
    }
    return new WeightTensor(dataset.getDimensions(), values);
  }
}
