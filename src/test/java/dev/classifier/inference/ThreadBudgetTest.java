package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThreadBudgetTest {

  @Test
  void oneWorkerTakesEveryCpuByDefault() {
    assertThat(ThreadBudget.of(8, 1, 0)).isEqualTo(new ThreadBudget(8, 1, 8, false));
  }

  @Test
  void workersShareTheCpusEqually() {
    assertThat(ThreadBudget.of(8, 3, 0)).isEqualTo(new ThreadBudget(8, 3, 2, false));
  }

  @Test
  void anExplicitSettingWithinTheBudgetIsKept() {
    assertThat(ThreadBudget.of(4, 2, 2)).isEqualTo(new ThreadBudget(4, 2, 2, false));
  }

  @Test
  void oversubscriptionIsRefusedWithTheNumbersInTheMessage() {
    assertThatThrownBy(() -> ThreadBudget.of(2, 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workers (2) × intra-op-threads (2) exceeds the 2 CPUs");
    assertThatThrownBy(() -> ThreadBudget.of(2, 3, 0))
        .hasMessageContaining("classifier.inference.workers=3 must be between 1 and the 2 CPUs");
  }

  @Test
  void adaptiveRunsOneWorkerPerCpuAndACallAloneOnAllOfThem() {
    assertThat(ThreadBudget.adaptive(4)).isEqualTo(new ThreadBudget(4, 4, 4, true));
    assertThat(ThreadBudget.adaptive(4).threading()).isEqualTo("adaptive");
  }

  @Test
  void oneCpuLeavesNothingToAdapt() {
    assertThat(ThreadBudget.adaptive(1)).isEqualTo(new ThreadBudget(1, 1, 1, false));
    assertThat(ThreadBudget.adaptive(1).threading()).isEqualTo("fixed");
  }
}
