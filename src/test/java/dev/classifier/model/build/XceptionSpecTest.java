package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XceptionSpecTest {

  @Test
  void parameterCountsMatchKerasModelSummary() {
    assertThat(XceptionSpec.parameters()).isEqualTo(22_910_480L);
    assertThat(XceptionSpec.nonTrainableParameters()).isEqualTo(54_528L);
    assertThat(XceptionSpec.parameters() - XceptionSpec.nonTrainableParameters())
        .isEqualTo(22_855_952L);
  }

  @Test
  void syntheticWeightSetIsCompleteAndDeterministic() {
    XceptionWeights a = SyntheticWeights.generate(5);
    XceptionWeights b = SyntheticWeights.generate(5);
    assertThat(a.parameters()).isEqualTo(22_910_480L);
    assertThat(a.get("block7_sepconv2", "pointwise_kernel").data())
        .isEqualTo(b.get("block7_sepconv2", "pointwise_kernel").data());
    float[] variance = a.get("block1_conv1_bn", "moving_variance").data();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : variance) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).as("batch-norm statistics are not the identity").isGreaterThanOrEqualTo(0.5f);
    assertThat(max).isLessThanOrEqualTo(2.0f).isGreaterThan(min + 0.5f);
  }

  @Test
  void fourUnnamedShortcutsWithTheirBatchNorms() {
    assertThat(XceptionSpec.layers().stream().filter(l -> !l.named()).map(XceptionSpec.Layer::name))
        .containsExactly(
            "block2_shortcut",
            "block2_shortcut_bn",
            "block3_shortcut",
            "block3_shortcut_bn",
            "block4_shortcut",
            "block4_shortcut_bn",
            "block13_shortcut",
            "block13_shortcut_bn");
    assertThat(XceptionSpec.layer("block13_shortcut").shape("kernel"))
        .containsExactly(1, 1, 728, 1024);
  }
}
