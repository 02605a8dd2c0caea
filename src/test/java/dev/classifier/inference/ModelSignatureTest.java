package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.image.TensorLayout;
import org.junit.jupiter.api.Test;

class ModelSignatureTest {

  @Test
  void kerasExportIsNhwc() {
    ModelSignature s =
        ModelSignature.detect(
            "input_1", new long[] {-1, 299, 299, 3}, "predictions", new long[] {-1, 1000});
    assertThat(s.layout()).isEqualTo(TensorLayout.NHWC);
    assertThat(s.height()).isEqualTo(299);
    assertThat(s.width()).isEqualTo(299);
    assertThat(s.classes()).isEqualTo(1000);
    assertThat(s.imageSize()).isEqualTo(3 * 299 * 299);
  }

  @Test
  void pytorchExportIsNchw() {
    ModelSignature s =
        ModelSignature.detect("x", new long[] {-1, 3, 224, 256}, "logits", new long[] {-1, 1000});
    assertThat(s.layout()).isEqualTo(TensorLayout.NCHW);
    assertThat(s.height()).isEqualTo(224);
    assertThat(s.width()).isEqualTo(256);
  }

  @Test
  void unusableShapesAreRefusedWithWhatTheModelDeclares() {
    assertThatThrownBy(
            () -> ModelSignature.detect("x", new long[] {-1, 4, 4, 4}, "y", new long[] {-1, 10}))
        .hasMessageContaining("[-1, 4, 4, 4]")
        .hasMessageContaining("colour channels");
    assertThatThrownBy(
            () -> ModelSignature.detect("x", new long[] {-1, -1, -1, 3}, "y", new long[] {-1, 10}))
        .hasMessageContaining("spatial size must be fixed");
    assertThatThrownBy(
            () -> ModelSignature.detect("x", new long[] {-1, 8, 8, 3}, "y", new long[] {-1, 10, 2}))
        .hasMessageContaining("expected [N,classes]");
    assertThatThrownBy(
            () -> ModelSignature.detect("x", new long[] {8, 8, 3}, "y", new long[] {-1, 10}))
        .hasMessageContaining("expected [N,H,W,3] (NHWC) or [N,3,H,W] (NCHW)");
  }
}
