package dev.classifier.model.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.model.build.ActivationHistogram.Range;
import org.junit.jupiter.api.Test;

class ActivationHistogramTest {

  /** 1,000,000 values evenly over [0, 10) and, unless empty, outliers. */
  private static float[] valuesWithOutliers(float... outliers) {
    float[] v = new float[1_000_000 + outliers.length];
    for (int i = 0; i < 1_000_000; i++) {
      v[i] = i * 1e-5f;
    }
    System.arraycopy(outliers, 0, v, 1_000_000, outliers.length);
    return v;
  }

  @Test
  void theHundredthPercentileIsTheExactMinimumAndMaximum() {
    ActivationHistogram h = new ActivationHistogram();
    float[] v = {-0.75f, 3.5f, 0.1f, 2.25f};
    h.add(v, v.length);

    assertThat(h.range(100)).isEqualTo(new Range(-0.75, 3.5));
    assertThat(h.total()).isEqualTo(4);
  }

  @Test
  void aHighPercentileDropsAHandfulOfOutliers() {
    // 5 of 1,000,005 values at 1000: the 99.999th percentile falls inside [0, 10); the span of 1000
    // gives bins of 0.25, so the result is the upper edge of the bin holding 9.99995: exactly 10
    float[] v = valuesWithOutliers(1000, 1000, 1000, 1000, 1000);
    ActivationHistogram h = new ActivationHistogram();
    h.add(v, v.length);

    assertThat(h.range(99.999)).isEqualTo(new Range(0.0, 10.0));
    assertThat(h.range(100)).isEqualTo(new Range(0.0, 1000.0));
  }

  @Test
  void outliersBelowAreDroppedAtTheLowEnd() {
    float[] v = valuesWithOutliers(-1000, -1000, -1000, -1000, -1000);
    ActivationHistogram h = new ActivationHistogram();
    h.add(v, v.length);

    // span 1010 gives bins of 0.25; the lowest kept value (rank 11: 0.0001) lies in [0, 0.25)
    assertThat(h.range(99.999))
        .as("the upper bin edge, 10, is clamped to the largest value seen")
        .isEqualTo(new Range(0.0, 999_999 * 1e-5f));
    assertThat(h.min()).isEqualTo(-1000);
  }

  @Test
  void addingInPartsThatWidenTheRangeGivesTheSameAnswerAsAtOnce() {
    float[] all = valuesWithOutliers(1000, 1000, 1000, 1000, 1000);
    ActivationHistogram once = new ActivationHistogram();
    once.add(all, all.length);

    ActivationHistogram parts = new ActivationHistogram();
    float[] first = new float[1000];
    System.arraycopy(all, 0, first, 0, 1000); // [0, 0.01): bins of 2^-19 at first
    parts.add(first, first.length);
    float[] rest = new float[all.length - 1000];
    System.arraycopy(all, 1000, rest, 0, rest.length);
    parts.add(rest, rest.length);

    assertThat(parts.total()).isEqualTo(once.total()).isEqualTo(1_000_005);
    assertThat(parts.range(99.999)).isEqualTo(once.range(99.999));
    assertThat(parts.range(99.0)).isEqualTo(once.range(99.0));
  }

  @Test
  void aConstantTensorHasAPointRange() {
    ActivationHistogram h = new ActivationHistogram();
    float[] zeros = new float[10];
    h.add(zeros, zeros.length);

    assertThat(h.range(99.999)).isEqualTo(new Range(0.0, 0.0));
  }

  @Test
  void nonFiniteValuesAndEmptyHistogramsAreRefused() {
    ActivationHistogram h = new ActivationHistogram();
    assertThatThrownBy(() -> h.range(99)).hasMessage("no values recorded");
    float[] v = {1f, Float.NaN};
    assertThatThrownBy(() -> h.add(v, v.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("activation is not finite (NaN or infinity)");
    assertThatThrownBy(() -> h.range(50)).hasMessage("percentile must be in (50, 100]: 50.0");
  }
}
