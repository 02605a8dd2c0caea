package dev.classifier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {

  @Test
  void aFileOfThisBuilderFromBeforeThePrecisionAndPreprocessingEntriesIsFloatAndTf() {
    ModelMetadata metadata =
        ModelMetadata.of(
            Map.of("weights_source", "keras-h5:abc", "builder_version", "xception-onnx-builder/1"));

    assertThat(metadata)
        .isEqualTo(
            new ModelMetadata(
                "keras-h5:abc",
                "xception-onnx-builder/1",
                Optional.empty(),
                "fp32",
                "none",
                0,
                "none",
                Optional.empty()));
    assertThat(metadata.synthetic()).isFalse();
    assertThat(metadata.int8()).isFalse();
    assertThat(metadata.preprocessingOrKnownDefault()).hasValue("tf");
  }

  @Test
  void anInt8ModelSaysHowItWasCalibrated() {
    ModelMetadata metadata =
        ModelMetadata.of(
            Map.of(
                "weights_source", "synthetic:42",
                "builder_version", "xception-onnx-builder/2",
                "preprocessing", "tf",
                "precision", "int8",
                "calibration_source", "folder:photos",
                "calibration_images", "256",
                "range_method", "percentile:99.999"));

    assertThat(metadata)
        .isEqualTo(
            new ModelMetadata(
                "synthetic:42",
                "xception-onnx-builder/2",
                Optional.of("tf"),
                "int8",
                "folder:photos",
                256,
                "percentile:99.999",
                Optional.empty()));
    assertThat(metadata.int8()).isTrue();
  }

  @Test
  void labelsTheBuilderWroteAreReadBack() {
    assertThat(ModelMetadata.of(Map.of("labels", "0\tcat\n1\tdog\n")).labels())
        .hasValue("0\tcat\n1\tdog\n");
  }

  @Test
  void recordedPreprocessingWinsOverTheBuildersDefault() {
    assertThat(
            ModelMetadata.of(
                    Map.of("builder_version", "xception-onnx-builder/2", "preprocessing", "torch"))
                .preprocessingOrKnownDefault())
        .hasValue("torch");
  }

  @Test
  void aForeignModelWithoutMetadataIsUnknownAndSaysNothingOfItsScaling() {
    ModelMetadata metadata = ModelMetadata.of(Map.of());
    assertThat(metadata)
        .isEqualTo(
            new ModelMetadata(
                "unknown",
                "unknown",
                Optional.empty(),
                "unknown",
                "none",
                0,
                "none",
                Optional.empty()));
    assertThat(metadata.preprocessingOrKnownDefault()).isEmpty();
    assertThat(ModelMetadata.of(Map.of("calibration_images", "many")).calibrationImages()).isZero();
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
