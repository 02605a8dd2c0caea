package dev.classifier.testing;

import dev.classifier.inference.BatchListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A batch listener tests arm to hold the inference worker at the next job it takes, so they can
 * fill the queue behind it deterministically; and that counts executed session calls. Disarmed, it
 * only counts. Registered in {@link TinyModelServer}'s context.
 */
public final class TestGate implements BatchListener {

  private final AtomicReference<CountDownLatch[]> armed = new AtomicReference<>();
  private final AtomicInteger executions = new AtomicInteger();

  /** Holds the worker at the next job it dequeues; returns once it is held there. */
  public Held holdNextBatch() {
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    if (!armed.compareAndSet(null, new CountDownLatch[] {reached, release})) {
      throw new IllegalStateException("the gate is already armed");
    }
    return new Held(reached, release);
  }

  /** Session calls run so far. */
  public int executions() {
    return executions.get();
  }

  @Override
  public void dequeued(long queueNanos) {
    CountDownLatch[] latches = armed.getAndSet(null);
    if (latches != null) {
      latches[0].countDown();
      await(latches[1]);
    }
  }

  @Override
  public void batchExecuted(int batchSize, long inferenceNanos) {
    executions.incrementAndGet();
  }

  /** The worker held at the gate. */
  public static final class Held {
    private final CountDownLatch reached;
    private final CountDownLatch release;

    private Held(CountDownLatch reached, CountDownLatch release) {
      this.reached = reached;
      this.release = release;
    }

    /** Blocks until the worker has taken a job and stopped at the gate. */
    public void awaitHeld() {
      await(reached);
    }

    public void release() {
      release.countDown();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out at the test gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
