package dev.classifier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

  private final MemoryBudget budget = new MemoryBudget(1000);

  @Test
  void reservationsAddUpAndAreReturnedOnceWhenClosed() {
    MemoryBudget.Reservation a = budget.reserve(600, "a");
    MemoryBudget.Reservation b = budget.reserve(400, "b");
    assertThat(budget.used()).isEqualTo(1000);

    a.close();
    a.close();
    assertThat(budget.used()).isEqualTo(400);
    b.close();
    assertThat(budget.used()).isZero();
  }

  @Test
  void aReservationThatDoesNotFitTakesNothingAndSaysWhatWasAsked() {
    MemoryBudget.Reservation held = budget.reserve(700, "held");

    assertThatThrownBy(() -> budget.reserve(301, "decoding a 4000x3000 JPEG"))
        .isInstanceOfSatisfying(
            MemoryBudgetExceededException.class,
            e -> {
              assertThat(e.requested()).isEqualTo(301);
              assertThat(e.available()).isEqualTo(300);
              assertThat(e.capacity()).isEqualTo(1000);
              assertThat(e.getMessage())
                  .startsWith("decoding a 4000x3000 JPEG needs 0.0 MiB")
                  .contains("classifier.memory.budget");
            });
    assertThat(budget.used()).isEqualTo(700);
    held.close();
  }

  @Test
  void growingPastTheBudgetKeepsWhatWasAlreadyHeld() {
    MemoryBudget.Reservation body = budget.reserve(100, "body");
    body.grow(800, "body");

    assertThatThrownBy(() -> body.grow(101, "body"))
        .isInstanceOf(MemoryBudgetExceededException.class);
    assertThat(body.bytes()).isEqualTo(900);
    body.release(100);
    assertThat(body.bytes()).isEqualTo(800);
    assertThat(budget.used()).isEqualTo(800);
    body.grow(200, "body");
    assertThatThrownBy(() -> body.release(1001)).isInstanceOf(IllegalArgumentException.class);
    assertThat(budget.used()).isEqualTo(1000);
    body.close();
    assertThat(budget.used()).isZero();
    assertThatThrownBy(() -> body.grow(1, "body")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentReservationsNeverOvercommit() throws Exception {
    MemoryBudget shared = new MemoryBudget(10_000);
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 1000; i++) {
                  try {
                    shared.reserve(7, "x");
                    granted.incrementAndGet();
                  } catch (MemoryBudgetExceededException expected) {
                    // full
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(granted.get()).isEqualTo(10_000 / 7);
    assertThat(shared.used()).isEqualTo(10_000 / 7 * 7L);
  }

  /** Under G1 with 1 MiB regions an array of 512 KiB or more takes whole regions of its own. */
  @Test
  void humongousArraysCountTheWholeRegionsTheyTake() {
    long mib = 1 << 20;
    MemoryBudget regions = new MemoryBudget(8 * mib, mib);

    MemoryBudget.Reservation small = regions.reserve(mib / 2 - 17, "just under half a region");
    MemoryBudget.Reservation half = regions.reserve(mib / 2 - 16, "half a region with its header");
    MemoryBudget.Reservation justOver = regions.reserve(mib + 51, "a body of 1 MiB and 51 bytes");

    assertThat(small.bytes()).isEqualTo(mib / 2 - 17);
    assertThat(half.bytes()).isEqualTo(mib);
    assertThat(justOver.bytes()).isEqualTo(2 * mib);
    assertThat(regions.used()).isEqualTo(3 * mib + mib / 2 - 17);
    assertThatThrownBy(() -> regions.reserve(4 * mib, "four regions and a header"))
        .isInstanceOf(MemoryBudgetExceededException.class);
  }

  @Test
  void aGrowingBodyGivesBackWhatItsOldArrayWasCountedAs() {
    long mib = 1 << 20;
    MemoryBudget regions = new MemoryBudget(8 * mib, mib);
    MemoryBudget.Reservation body = regions.reserve(mib, "the first array");

    body.grow(2 * mib, "the doubled array");
    body.release(mib);

    assertThat(body.bytes()).isEqualTo(3 * mib);
    assertThat(regions.used()).isEqualTo(3 * mib);
    body.close();
    assertThat(regions.used()).isZero();
  }

  @Test
  void thisJvmsCollectorDecidesWhetherRegionsCount() {
    boolean g1 =
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
            .anyMatch(collector -> collector.getName().startsWith("G1"));

    MemoryBudget budget = MemoryBudget.forThisHeap(1 << 30);

    if (g1) {
      assertThat(Long.bitCount(budget.region())).isEqualTo(1);
      assertThat(budget.region()).isBetween(1L << 20, 512L << 20);
    } else {
      assertThat(budget.region()).isZero();
    }
  }
}
