package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.inference.BatchPolicy.Disposition;
import org.junit.jupiter.api.Test;

/** The batching rule as numbers: no threads, no clock but the values passed in. */
class BatchPolicyTest {

  private final BatchPolicy policy = new BatchPolicy(4, 20);

  @Test
  void gathersForTheRestOfTheQueueDelayAfterTheFirstJobWasTaken() {
    assertThat(policy.gatherNanos(1, 100, 100)).isEqualTo(20);
    assertThat(policy.gatherNanos(2, 100, 113)).isEqualTo(7);
    assertThat(policy.gatherNanos(3, 100, 120)).isZero();
    assertThat(policy.gatherNanos(3, 100, 500)).isZero();
  }

  @Test
  void aFullBatchRunsAtOnce() {
    assertThat(policy.gatherNanos(4, 100, 100)).isZero();
    assertThat(new BatchPolicy(1, 1_000_000).gatherNanos(1, 0, 0)).isZero();
  }

  @Test
  void withoutADelayNothingIsAwaited() {
    assertThat(new BatchPolicy(8, 0).gatherNanos(1, 100, 100)).isZero();
  }

  @Test
  void atTheStartOfTheCallJobsRunExpireOrAreSkipped() {
    Deadline deadline = new Deadline(1_000);
    assertThat(policy.disposition(false, deadline, 999)).isEqualTo(Disposition.RUN);
    assertThat(policy.disposition(false, deadline, 1_000)).isEqualTo(Disposition.EXPIRE);
    assertThat(policy.disposition(true, deadline, 999)).isEqualTo(Disposition.SKIP);
    assertThat(policy.disposition(true, deadline, 2_000)).isEqualTo(Disposition.SKIP);
  }

  @Test
  void deadlinesCompareAcrossTheNanoTimeOverflow() {
    Deadline deadline = new Deadline(Long.MIN_VALUE + 10);
    assertThat(deadline.passed(Long.MAX_VALUE)).isFalse();
    assertThat(deadline.passed(Long.MIN_VALUE + 10)).isTrue();
    assertThat(deadline.remainingNanos(Long.MAX_VALUE)).isEqualTo(11);
  }
}
