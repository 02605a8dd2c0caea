package dev.classifier.inference;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The session calls that may run at once — one per worker, however they are started — and, for each
 * slot, a spare {@link BatchWorker} (its own runner and tensors, never a thread of its own) that a
 * request thread borrows to run its image itself when a worker would otherwise have to wake up for
 * it. A worker takes a slot for each batch, a caller takes one for its inline call, so the worker
 * count still bounds the concurrent session calls and their threads.
 */
final class WorkerSlots {

  private final int slots;
  private final Semaphore free;
  private final ConcurrentLinkedQueue<BatchWorker> spares = new ConcurrentLinkedQueue<>();
  private final AtomicInteger lost = new AtomicInteger();

  WorkerSlots(int slots) {
    this.slots = slots;
    this.free = new Semaphore(slots);
  }

  /** Adds the spare worker of one slot; called once per slot while the scheduler is built. */
  void addSpare(BatchWorker spare) {
    spares.add(spare);
  }

  /** Blocks until a slot is free, for a worker that holds a batch. */
  void acquire() throws InterruptedException {
    free.acquire();
  }

  void release() {
    free.release();
  }

  /**
   * A free slot's spare worker, or null at once when every slot is taken (or the spares are
   * closed). The spare is there whenever the slot is: {@link #giveBack} returns it before it frees
   * the slot.
   */
  BatchWorker tryBorrow() {
    // A worker already waiting for a slot holds a queued image: it goes first, not the caller.
    if (free.hasQueuedThreads() || !free.tryAcquire()) {
      return null;
    }
    BatchWorker spare = spares.poll();
    if (spare == null) {
      free.release();
    }
    return spare;
  }

  void giveBack(BatchWorker spare) {
    spares.add(spare);
    free.release();
  }

  /**
   * Loses a slot for good with the spare that was in it, as a worker that died loses its thread.
   */
  void lose(BatchWorker spare) {
    lost.incrementAndGet();
    spare.closeRunner();
  }

  /**
   * Waits up to {@code nanos} for every call in progress to end. Callers must have stopped new
   * calls from starting (a borrower checks the scheduler's admission after borrowing).
   */
  boolean drain(long nanos) throws InterruptedException {
    int all = slots - lost.get();
    if (!free.tryAcquire(all, nanos, TimeUnit.NANOSECONDS)) {
      return false;
    }
    free.release(all);
    return true;
  }

  /** Frees the spares' tensors. */
  void close() {
    List.copyOf(spares).forEach(BatchWorker::closeRunner);
    spares.clear();
  }
}
