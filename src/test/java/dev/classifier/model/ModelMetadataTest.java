package dev.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {

  @Test
  void recordedSourceAndBuilderAreReadBack() {
    ModelMetadata metadata =
        ModelMetadata.of(
            Map.of("weights_source", "keras-h5:abc", "builder_version", "xception-onnx-builder/1"));

    assertThat(metadata).isEqualTo(new ModelMetadata("keras-h5:abc", "xception-onnx-builder/1"));
    assertThat(metadata.synthetic()).isFalse();
  }

  @Test
  void aForeignModelWithoutMetadataIsUnknown() {
    assertThat(ModelMetadata.of(Map.of())).isEqualTo(new ModelMetadata("unknown", "unknown"));
  }

  @Test
  void syntheticWeightsAreFlaggedAndTheWarningSaysHowToFixIt() {
    ModelMetadata metadata = ModelMetadata.of(Map.of("weights_source", "synthetic:42"));

    assertThat(metadata.synthetic()).isTrue();
    assertThat(metadata.syntheticWarning(Path.of("models/xception.onnx")))
        .contains(
            "SYNTHETIC MODEL IN USE (synthetic:42)",
            "MEANINGLESS",
            "models/download-weights.sh",
            "--output models/xception.onnx");
  }
}
