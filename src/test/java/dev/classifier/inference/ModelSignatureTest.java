package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.image.TensorLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelSignatureTest {

  private static Map<String, long[]> outputs(Object... nameAndShape) {
    Map<String, long[]> outputs = new LinkedHashMap<>();
    for (int i = 0; i < nameAndShape.length; i += 2) {
      outputs.put((String) nameAndShape[i], (long[]) nameAndShape[i + 1]);
    }
    return outputs;
  }

  @Test
  void kerasExportIsNhwc() {
    ModelSignature s =
        ModelSignature.detect(
            "input_1",
            new long[] {-1, 299, 299, 3},
            outputs("predictions", new long[] {-1, 1000}),
            Optional.empty());
    assertThat(s.layout()).isEqualTo(TensorLayout.NHWC);
    assertThat(s.height()).isEqualTo(299);
    assertThat(s.width()).isEqualTo(299);
    assertThat(s.classes()).isEqualTo(1000);
    assertThat(s.imageSize()).isEqualTo(3 * 299 * 299);
    assertThat(s.featureOutput()).isEmpty();
  }

  @Test
  void pytorchExportIsNchw() {
    ModelSignature s =
        ModelSignature.detect(
            "x",
            new long[] {-1, 3, 224, 256},
            outputs("logits", new long[] {-1, 1000}),
            Optional.empty());
    assertThat(s.layout()).isEqualTo(TensorLayout.NCHW);
    assertThat(s.height()).isEqualTo(224);
    assertThat(s.width()).isEqualTo(256);
  }

  @Test
  void aFixedRank4OutputBesideTheScoresIsTheFeatureMap() {
    ModelSignature s =
        ModelSignature.detect(
            "input_1",
            new long[] {-1, 299, 299, 3},
            outputs(
                "block14_sepconv2_act",
                new long[] {-1, 2048, 10, 10},
                "predictions",
                new long[] {-1, 1000}),
            Optional.of("block14_sepconv2_act"));
    assertThat(s.outputName()).isEqualTo("predictions");
    assertThat(s.featureOutput()).isPresent();
    assertThat(s.featureOutput().get().name()).isEqualTo("block14_sepconv2_act");
    assertThat(s.featureOutput().get().size()).isEqualTo(2048 * 10 * 10);
  }

  @Test
  void aFeatureMapIsTakenOnlyWhenAskedForByName() {
    Map<String, long[]> declared =
        outputs(
            "predictions",
            new long[] {-1, 1000},
            "block14_sepconv2_act",
            new long[] {-1, 2048, 10, 10});
    long[] input = {-1, 299, 299, 3};
    assertThat(ModelSignature.detect("input_1", input, declared, Optional.empty()).featureOutput())
        .isEmpty();
    assertThat(
            ModelSignature.detect("input_1", input, declared, Optional.of("other")).featureOutput())
        .isEmpty();
  }

  @Test
  void unusableShapesAreRefusedWithWhatTheModelDeclares() {
    assertThatThrownBy(
            () ->
                ModelSignature.detect(
                    "x",
                    new long[] {-1, 4, 4, 4},
                    outputs("y", new long[] {-1, 10}),
                    Optional.empty()))
        .hasMessageContaining("[-1, 4, 4, 4]")
        .hasMessageContaining("colour channels");
    assertThatThrownBy(
            () ->
                ModelSignature.detect(
                    "x",
                    new long[] {-1, -1, -1, 3},
                    outputs("y", new long[] {-1, 10}),
                    Optional.empty()))
        .hasMessageContaining("spatial size must be fixed");
    assertThatThrownBy(
            () ->
                ModelSignature.detect(
                    "x",
                    new long[] {-1, 8, 8, 3},
                    outputs("y", new long[] {-1, 10, 2}),
                    Optional.empty()))
        .hasMessage("no model output has the shape [N,classes]; outputs are y [-1, 10, 2]");
    assertThatThrownBy(
            () ->
                ModelSignature.detect(
                    "x", new long[] {8, 8, 3}, outputs("y", new long[] {-1, 10}), Optional.empty()))
        .hasMessageContaining("expected [N,H,W,3] (NHWC) or [N,3,H,W] (NCHW)");
  }
}
