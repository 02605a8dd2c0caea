package dev.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The JIT counts as settled after a round that cost its compilers at most 5 ms. */
class CompilationWatchTest {

  private final AtomicLong compiledMillis = new AtomicLong(1_000);
  private final CompilationWatch watch = new CompilationWatch(compiledMillis::get);

  @Test
  void aRoundWithoutCompilationIsSettled() {
    assertThat(watch.settled()).isTrue();
  }

  @Test
  void aRoundThatCompiledMoreThanTheQuietMarginIsNotThenTheNextQuietOneIs() {
    compiledMillis.addAndGet(CompilationWatch.QUIET_MILLIS + 1);
    assertThat(watch.settled()).isFalse();

    compiledMillis.addAndGet(CompilationWatch.QUIET_MILLIS);
    assertThat(watch.settled()).isTrue();
  }
}
