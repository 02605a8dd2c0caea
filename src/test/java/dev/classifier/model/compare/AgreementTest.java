package dev.classifier.model.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class AgreementTest {

  @Test
  void figuresOnDistributionsComputedByHand() {
    Agreement a = new Agreement();
    // image 1: same top-1; top-5 of 7 classes share 4 of 5 (class 4 against class 5)
    a.add(
        new float[] {0.4f, 0.2f, 0.15f, 0.1f, 0.08f, 0.07f, 0f},
        new float[] {0.4f, 0.2f, 0.15f, 0.1f, 0.07f, 0.08f, 0f});
    // image 2: top-1 swapped, the same five classes on top
    a.add(
        new float[] {0.5f, 0.25f, 0.125f, 0.0625f, 0.0625f, 0f, 0f},
        new float[] {0.25f, 0.5f, 0.125f, 0.0625f, 0.0625f, 0f, 0f});
    Agreement.Figures f = a.figures();

    assertThat(f.images()).isEqualTo(2);
    assertThat(f.top1Agreements()).isEqualTo(1);
    assertThat(f.top5Overlap()).isEqualTo((0.8 + 1.0) / 2);
    double kl1 =
        0.08f * Math.log((double) 0.08f / 0.07f) + 0.07f * Math.log((double) 0.07f / 0.08f);
    double kl2 = 0.5 * Math.log(2) + 0.25 * Math.log(0.5);
    assertThat(f.meanKl()).isCloseTo((kl1 + kl2) / 2, offset(1e-12));
    assertThat(f.maxAbsDiff()).isEqualTo(0.25);
  }

  @Test
  void aClassTheCandidateRoundsToZeroCostsAFiniteDivergence() {
    double kl = Agreement.kl(new float[] {0.5f, 0.5f}, new float[] {1f, 0f});
    assertThat(kl).isEqualTo(0.5 * Math.log(0.5) + 0.5 * Math.log(0.5 / 1e-12));
  }

  @Test
  void topKBreaksTiesByTheLowerIndex() {
    assertThat(Agreement.topK(new float[] {0.1f, 0.3f, 0.3f, 0.2f}, 3)).containsExactly(1, 2, 3);
  }

  @Test
  void modelsWithDifferentClassCountsCannotBeCompared() {
    assertThatThrownBy(() -> new Agreement().add(new float[3], new float[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the models have different class counts: 3 and 4");
  }
}
