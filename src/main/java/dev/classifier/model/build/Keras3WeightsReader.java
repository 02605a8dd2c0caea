package dev.classifier.model.build;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the weights a {@link KerasArchitecture.Plan} needs from a Keras 3 weights file ({@code
 * model.weights.h5} or {@code save_weights(...weights.h5)}: each layer's variables at {@code
 * <group>/vars/0..n}, in the layer's own order). Every dataset's shape is checked against the
 * architecture, and its declared size against the file's, before its values are read.
 */
final class Keras3WeightsReader {

  /** What the graph is built from. */
  record Weights(
      XceptionWeights body,
      List<WeightTensor[]> head,
      List<KerasPreprocessing.Preprocess> preprocessing) {}

  private static final String[] BN = XceptionSpec.BN_ROLES;

  private final HdfFile hdf;
  private final Path file;
  private final long fileBytes;

  private Keras3WeightsReader(HdfFile hdf, Path file, long fileBytes) {
    this.hdf = hdf;
    this.file = file;
    this.fileBytes = fileBytes;
  }

  /** True for an HDF5 file laid out the Keras 3 way (a {@code layers} group, no layer_names). */
  static boolean isKeras3(Path file) {
    try (HdfFile hdf = new HdfFile(file)) {
      return hdf.getChildren().containsKey("layers")
          && hdf.getAttribute("layer_names") == null
          && !hdf.getChildren().containsKey("model_weights");
    } catch (RuntimeException e) {
      return false;
    }
  }

  static Weights read(Path file, KerasArchitecture.Plan plan) {
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException e) {
      throw new KerasWeightsException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try (HdfFile hdf = new HdfFile(file)) {
      return new Keras3WeightsReader(hdf, file, bytes).read(plan);
    } catch (KerasWeightsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KerasWeightsException(
          "cannot read Keras 3 weights file "
              + file
              + ": the file is truncated, damaged or not a Keras weights file ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private Weights read(KerasArchitecture.Plan plan) {
    Map<String, Map<String, WeightTensor>> body = new LinkedHashMap<>();
    for (XceptionSpec.Layer spec : XceptionSpec.layers()) {
      if (spec.kind() == XceptionSpec.Kind.DENSE) {
        continue; // the head's dense layers come from the plan
      }
      String group = plan.body().get(spec.name());
      String[] roles =
          switch (spec.kind()) {
            case CONV -> new String[] {"kernel"};
            case SEPARABLE -> new String[] {"depthwise_kernel", "pointwise_kernel"};
            case BATCH_NORM -> BN;
            case DENSE -> throw new IllegalStateException();
          };
      Map<String, WeightTensor> byRole = new LinkedHashMap<>();
      for (int v = 0; v < roles.length; v++) {
        byRole.put(roles[v], tensor(group, v, spec.shape(roles[v]), spec.name()));
      }
      body.put(spec.name(), byRole);
    }
    List<WeightTensor[]> head = new ArrayList<>();
    int in = XceptionSpec.FEATURES;
    for (KerasArchitecture.Dense d : plan.head()) {
      WeightTensor kernel = tensor(d.weights(), 0, new int[] {in, d.units()}, d.layer());
      WeightTensor bias =
          d.bias()
              ? tensor(d.weights(), 1, new int[] {d.units()}, d.layer())
              : new WeightTensor(new int[] {d.units()}, new float[d.units()]);
      head.add(new WeightTensor[] {kernel, bias});
      in = d.units();
    }
    List<KerasPreprocessing.Preprocess> preprocessing = new ArrayList<>();
    for (KerasPreprocessing.Preprocess p : plan.preprocessing()) {
      if (p.weights() == null) {
        preprocessing.add(p);
      } else {
        float[] mean = tensor(p.weights(), 0, new int[] {3}, p.layer()).data();
        float[] variance = tensor(p.weights(), 1, new int[] {3}, p.layer()).data();
        preprocessing.add(
            KerasPreprocessing.statistics(
                p.layer(),
                new double[] {mean[0], mean[1], mean[2]},
                new double[] {variance[0], variance[1], variance[2]}));
      }
    }
    return new Weights(new XceptionWeights(body), head, preprocessing);
  }

  private WeightTensor tensor(String group, int index, int[] expected, String layer) {
    String path = group + "/vars/" + index;
    Node node;
    try {
      node = hdf.getByPath(path);
    } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
      node = null; // absent; anything else is a damaged file, reported as such by read()
    }
    if (!(node instanceof Dataset dataset)) {
      throw new KerasWeightsException(
          "Keras weights file "
              + file
              + " has no "
              + path
              + " for layer '"
              + layer
              + "' (expected shape "
              + WeightTensor.describe(expected)
              + "): the weights do not belong to this model config");
    }
    int[] shape = dataset.getDimensions();
    if (!java.util.Arrays.equals(shape, expected)) {
      throw new KerasWeightsException(
          "layer '"
              + layer
              + "' weight "
              + index
              + " ("
              + path
              + "): the config needs shape "
              + WeightTensor.describe(expected)
              + ", the weights file has "
              + WeightTensor.describe(shape));
    }
    Class<?> type = dataset.getJavaType();
    if (type != float.class && type != double.class) {
      throw new KerasWeightsException(path + " is not floating point (" + type + ")");
    }
    // the declared size comes from the file's header: a damaged header must not size the heap
    if (dataset.getSizeInBytes() > fileBytes) {
      throw new KerasWeightsException(
          path
              + " declares "
              + dataset.getSizeInBytes()
              + " bytes, more than the whole file ("
              + fileBytes
              + " bytes): the file is truncated or damaged");
    }
    Object flat = dataset.getDataFlat();
    float[] values = flat instanceof float[] f ? f : KerasLayouts.toFloats((double[]) flat);
    return new WeightTensor(shape, values);
  }
}
