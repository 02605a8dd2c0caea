package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Keras 3 weights reader checks shapes and declared sizes before it reads any values. */
class Keras3WeightsReaderTest {

  @TempDir Path dir;

  /** Every Xception layer's weights are looked for under {@code layers/conv2d}. */
  private static KerasArchitecture.Plan plan() {
    Map<String, String> body = new LinkedHashMap<>();
    for (XceptionSpec.Layer layer : XceptionSpec.layers()) {
      body.put(layer.name(), "layers/conv2d");
    }
    return new KerasArchitecture.Plan(
        150,
        List.of(),
        body,
        "xception",
        KerasArchitecture.Pooling.AVG,
        List.of(new KerasArchitecture.Dense("dense", "layers/dense", 1, "linear", true)));
  }

  private Path weights(float[][][][] kernel) {
    Path file = dir.resolve("m.weights.h5");
    try (WritableHdfFile h5 = HdfFile.write(file)) {
      h5.putGroup("layers").putGroup("conv2d").putGroup("vars").putDataset("0", kernel);
    }
    return file;
  }

  @Test
  void aWeightOfTheWrongShapeIsRefusedNamingLayerAndShapes() {
    Path file = weights(new float[3][3][3][16]);
    assertThatThrownBy(() -> Keras3WeightsReader.read(file, plan()))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessage(
            "layer 'block1_conv1' weight 0 (layers/conv2d/vars/0): the config needs shape"
                + " (3,3,3,32), the weights file has (3,3,3,16)");
  }

  @Test
  void aDatasetDeclaringMoreBytesThanTheFileHasIsRefusedBeforeItIsRead() throws IOException {
    Path file = weights(new float[3][3][3][32]);
    byte[] whole = Files.readAllBytes(file);
    // the values (3456 bytes) come after the headers: cut most of them off
    Files.write(file, Arrays.copyOf(whole, whole.length - 3000));
    assertThatThrownBy(() -> Keras3WeightsReader.read(file, plan()))
        .isInstanceOf(KerasWeightsException.class)
        .hasMessageContaining("layers/conv2d/vars/0 declares 3456 bytes, more than the whole file");
  }
}
