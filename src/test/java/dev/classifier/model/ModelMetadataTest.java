package dev.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {

  @Test
  void recordedKeysAreReadBack() {
    ModelMetadata metadata =
        ModelMetadata.of(
            Map.of(
                "weights_source", "keras-h5:abc",
                "builder_version", "xception-onnx-builder/1",
                "preprocessing", "torch",
                "precision", "int8"));

    assertThat(metadata)
        .isEqualTo(
            new ModelMetadata(
                "keras-h5:abc",
                "xception-onnx-builder/1",
                Optional.of("torch"),
                Optional.of("int8")));
    assertThat(metadata.synthetic()).isFalse();
    assertThat(metadata.preprocessingOrKnownDefault()).hasValue("torch");
  }

  @Test
  void aForeignModelWithoutMetadataIsUnknownAndSaysNothingOfItsScaling() {
    ModelMetadata metadata = ModelMetadata.of(Map.of());
    assertThat(metadata)
        .isEqualTo(new ModelMetadata("unknown", "unknown", Optional.empty(), Optional.empty()));
    assertThat(metadata.preprocessingOrKnownDefault()).isEmpty();
  }

  @Test
  void xceptionFilesFromBeforeThePreprocessingKeyAreTf() {
    assertThat(
            ModelMetadata.of(Map.of("builder_version", "xception-onnx-builder/1"))
                .preprocessingOrKnownDefault())
        .hasValue("tf");
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
