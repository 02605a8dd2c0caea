package dev.classifier.image;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that requests may hold at once: upload bodies as they arrive, and the buffers a decode
 * will allocate (on the heap or natively), reserved from the image's header before the decode
 * starts. A reservation that does not fit is refused at once rather than waited for, so an
 * overloaded service answers quickly and the allocation that would have exhausted the heap never
 * happens.
 */
public final class MemoryBudget {

  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  /**
   * @param capacity bytes that may be reserved at once
   */
  public MemoryBudget(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("the memory budget must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  public long capacity() {
    return capacity;
  }

  /** Bytes reserved right now. */
  public long used() {
    return used.get();
  }

  /**
   * Reserves {@code bytes}, or throws without reserving anything.
   *
   * @param purpose what the bytes are for, named in the refusal ("the upload body", "decoding a
   *     4000x3000 JPEG")
   * @throws MemoryBudgetExceededException when the budget has less than {@code bytes} left
   */
  public Reservation reserve(long bytes, String purpose) {
    Reservation reservation = new Reservation();
    reservation.grow(bytes, purpose);
    return reservation;
  }

  private void take(long bytes, String purpose) {
    if (bytes < 0) {
      throw new IllegalArgumentException("cannot reserve a negative size: " + bytes);
    }
    while (true) {
      long now = used.get();
      if (bytes > capacity - now) {
        throw new MemoryBudgetExceededException(purpose, bytes, capacity - now, capacity);
      }
      if (used.compareAndSet(now, now + bytes)) {
        return;
      }
    }
  }

  /**
   * Reserved bytes held by one request; closing it gives them back (once, however often it is
   * closed).
   */
  public final class Reservation implements AutoCloseable {

    private long bytes;
    private boolean closed;

    private Reservation() {}

    /**
     * Reserves {@code more} bytes on top of what this reservation holds, e.g. as an upload's body
     * arrives.
     */
    public synchronized void grow(long more, String purpose) {
      if (closed) {
        throw new IllegalStateException("the reservation was released");
      }
      take(more, purpose);
      bytes += more;
    }

    /**
     * Gives back {@code fewer} of the bytes held, e.g. the old array once a growing body was
     * copied.
     */
    public synchronized void release(long fewer) {
      if (fewer < 0 || fewer > bytes) {
        throw new IllegalArgumentException("cannot release " + fewer + " of " + bytes + " bytes");
      }
      if (!closed) {
        bytes -= fewer;
        used.addAndGet(-fewer);
      }
    }

    public synchronized long bytes() {
      return bytes;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        used.addAndGet(-bytes);
      }
    }
  }
}
