package dev.classifier.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.model.ClassifierHead;
import dev.classifier.model.ClassifierHead.FeatureLayout;
import dev.classifier.model.HeadLookup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** M_c(x, y) = sum_k w[k, c] f_k(x, y) on a map small enough to check by hand. */
class ClassActivationMapsTest {

  /** K = 2 channels, C = 3 classes: w[k][c]. */
  private static final float[] W = {1, -2, 0.5f, 3, 1, 0};

  private static final float[] B = {0.25f, -1, 2};

  /** Two 2 × 3 channels, NCHW: f0 counts 0..5, f1 is 1 on the top row, 0 below. */
  private static final float[] NCHW = {0, 1, 2, 3, 4, 5, 1, 1, 1, 0, 0, 0};

  private static Explainer explainer(FeatureLayout layout) {
    return new Explainer(HeadLookup.found(new ClassifierHead("features", layout, 2, 3, W, B)));
  }

  @Test
  void eachValueIsTheWeightedSumOfTheChannelsAtThatPosition() {
    List<ActivationMap> maps =
        explainer(FeatureLayout.NCHW).maps(NCHW, new int[] {2, 2, 3}, 0, 2, 1);

    ActivationMap c0 = maps.get(0);
    assertThat(c0.classIndex()).isZero();
    assertThat(c0.width()).isEqualTo(3);
    assertThat(c0.height()).isEqualTo(2);
    // 1·f0 + 3·f1
    assertThat(c0.values()).containsExactly(3, 4, 5, 3, 4, 5);
    assertThat(c0.min()).isEqualTo(3);
    assertThat(c0.max()).isEqualTo(5);
    // 0.5·f0 + 0·f1, asked second
    assertThat(maps.get(1).classIndex()).isEqualTo(2);
    assertThat(maps.get(1).values()).containsExactly(0, 0.5f, 1, 1.5f, 2, 2.5f);
    // −2·f0 + 1·f1
    assertThat(maps.get(2).values()).containsExactly(1, -1, -3, -6, -8, -10);
    assertThat(maps.get(2).at(2, 1)).isEqualTo(-10);
    assertThat(maps.get(2).min()).isEqualTo(-10);
    assertThat(maps.get(2).max()).isEqualTo(1);
  }

  @Test
  void theMeanOfAMapPlusTheBiasIsTheLogit() {
    List<ActivationMap> maps =
        explainer(FeatureLayout.NCHW).maps(NCHW, new int[] {2, 2, 3}, 0, 1, 2);

    // GlobalAveragePool: f0 -> 2.5, f1 -> 0.5; logits = pooled · W + B
    double[] logits = {2.5 * 1 + 0.5 * 3 + 0.25, 2.5 * -2 + 0.5 * 1 - 1, 2.5 * 0.5 + 0.5 * 0 + 2};
    for (int c = 0; c < 3; c++) {
      assertThat(maps.get(c).mean() + B[c]).isEqualTo(logits[c]);
    }
  }

  @Test
  void anNhwcMapGivesTheSameMapsAsItsNchwTranspose() {
    float[] nhwc = new float[12];
    for (int k = 0; k < 2; k++) {
      for (int p = 0; p < 6; p++) {
        nhwc[p * 2 + k] = NCHW[k * 6 + p];
      }
    }
    List<ActivationMap> fromNchw = explainer(FeatureLayout.NCHW).maps(NCHW, new int[] {2, 2, 3}, 1);
    List<ActivationMap> fromNhwc = explainer(FeatureLayout.NHWC).maps(nhwc, new int[] {2, 3, 2}, 1);

    assertThat(fromNhwc.get(0).values()).containsExactly(fromNchw.get(0).values());
    assertThat(fromNhwc.get(0).width()).isEqualTo(3);
  }

  @Test
  void aClassOutsideTheHeadOrAMapOfTheWrongShapeIsRefused() {
    Explainer explainer = explainer(FeatureLayout.NCHW);

    assertThatThrownBy(() -> explainer.maps(NCHW, new int[] {2, 2, 3}, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("class 3 is not in [0, 3)");
    assertThatThrownBy(() -> explainer.maps(NCHW, new int[] {3, 2, 2}, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("for a head of 2 channels");
  }

  @Test
  void aModelWithoutAHeadRefusesWithItsReason() {
    Explainer explainer = new Explainer(HeadLookup.unsupported("no Gemm"));

    assertThat(explainer.supported()).isFalse();
    assertThat(explainer.featureOutput()).isEmpty();
    assertThatThrownBy(() -> explainer.maps(NCHW, new int[] {2, 2, 3}, 0))
        .isInstanceOf(ExplanationsUnsupportedException.class)
        .hasMessage("no Gemm");
  }
}
