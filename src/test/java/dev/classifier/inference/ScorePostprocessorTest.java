package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScorePostprocessorTest {

  @Test
  void autoReadsAProbabilityRowAsProbabilitiesAndLeavesThemAlone() {
    float[] row = {0.25f, 0.75f};
    ScorePostprocessor scores = ScorePostprocessor.resolve(OutputKind.AUTO, row);
    assertThat(scores.kind()).isEqualTo(OutputKind.PROBABILITIES);
    assertThat(scores.probabilities(row)).isSameAs(row);
  }

  @Test
  void autoReadsLogitsAsLogitsAndAppliesTheSoftmax() {
    ScorePostprocessor scores = ScorePostprocessor.resolve(OutputKind.AUTO, new float[] {2f, -1f});
    assertThat(scores.kind()).isEqualTo(OutputKind.LOGITS);
    float[] p = scores.probabilities(new float[] {0f, (float) Math.log(3)});
    assertThat(p[0]).isCloseTo(0.25f, within(1e-6f));
    assertThat(p[1]).isCloseTo(0.75f, within(1e-6f));
  }

  @Test
  void aConfiguredKindWinsOverTheProbe() {
    assertThat(ScorePostprocessor.resolve(OutputKind.LOGITS, new float[] {0.5f, 0.5f}).kind())
        .isEqualTo(OutputKind.LOGITS);
    assertThatThrownBy(() -> new ScorePostprocessor(OutputKind.AUTO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
