package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScoresTest {

  @Test
  void topKReturnsIndicesOfTheHighestScoresHighestFirst() {
    float[] scores = {0.1f, 0.5f, 0.05f, 0.3f, 0.05f};
    assertThat(Scores.topK(scores, 3)).containsExactly(1, 3, 0);
  }

  @Test
  void topKBreaksTiesByLowerIndex() {
    float[] scores = {0.2f, 0.4f, 0.2f, 0.4f, 0.2f};
    assertThat(Scores.topK(scores, 5)).containsExactly(1, 3, 0, 2, 4);
  }

  @Test
  void topKLargerThanTheClassCountReturnsEveryClass() {
    assertThat(Scores.topK(new float[] {3f, 1f, 2f}, 1000)).containsExactly(0, 2, 1);
  }

  @Test
  void softmaxMatchesTheClosedFormAndSurvivesHugeLogits() {
    float[] p = Scores.softmax(new float[] {1f, 2f, 3f});
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertThat(p[0]).isCloseTo((float) (Math.exp(1) / z), within(1e-7f));
    assertThat(p[2]).isCloseTo((float) (Math.exp(3) / z), within(1e-7f));

    float[] huge = Scores.softmax(new float[] {1000f, 1000f, -1000f});
    assertThat(huge).containsExactly(0.5f, 0.5f, 0f);
  }

  @Test
  void probabilityRowsAreRecognisedAndLogitRowsAreNot() {
    assertThat(Scores.looksLikeProbabilities(new float[] {0.25f, 0.75f, 0f})).isTrue();
    assertThat(Scores.looksLikeProbabilities(new float[] {0.25f, 0.5f, 0f})).isFalse();
    assertThat(Scores.looksLikeProbabilities(new float[] {-0.5f, 1.5f})).isFalse();
    assertThat(Scores.looksLikeProbabilities(new float[] {Float.NaN, 1f})).isFalse();
  }
}
