package dev.classifier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The arithmetic of the paired figures and the thread roles of the hop table. */
class PairedTest {

  private final Paired.Pairs pairs =
      new Paired.Pairs(
          new long[] {60_000_000, 50_000_000, 110_000_000},
          new long[] {50_000_000, 50_000_000, 100_000_000},
          new long[] {100_000_000, 100_000_000, 100_000_000},
          new double[] {52.0, 47.5, 101.0});

  @Test
  void eachPairGivesOneRatioOfServiceToFloor() {
    assertThat(pairs.ratios()).containsExactly(1.2, 1.0, 1.1);
    assertThat(pairs.referenceRatios()).containsExactly(0.6, 0.5, 1.1);
    assertThat(pairs.sessionRatios()).containsExactly(1.04, 0.95, 1.01);
  }

  @Test
  void fixedCostIsTheClientsTimeLessTheSessionCallTheServiceReported() {
    assertThat(pairs.fixedCostMs()).containsExactly(8.0, 2.5, 9.0);
  }

  @Test
  void theSpreadIsNearestRankLikeTheLatencies() {
    double[] values = new double[20];
    for (int i = 0; i < values.length; i++) {
      values[i] = 20 - i;
    }
    Paired.Spread spread = Paired.Spread.of(values);

    assertThat(spread.p10()).isEqualTo(2.0);
    assertThat(spread.median()).isEqualTo(10.0);
    assertThat(spread.p90()).isEqualTo(18.0);
    assertThat(spread.n()).isEqualTo(20);
    assertThat(spread.text("%.1f")).isEqualTo("10.0 (p10 2.0, p90 18.0, n=20)");
  }

  @Test
  void threadsAreNamedByTheirRoleInTheHandOffs() {
    assertThat(Hops.role("http-nio-127.0.0.1-18080-exec-7")).isEqualTo("container thread");
    assertThat(Hops.role("inference-1")).isEqualTo("inference worker");
    assertThat(Hops.role("inference-deadlines")).isEqualTo("deadline timer");
    assertThat(Hops.role("responses-2")).isEqualTo("responses executor");
    assertThat(Hops.role("main")).isEqualTo("main");
  }
}
