package dev.classifier.image;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that requests may hold at once: upload bodies as they arrive, and the buffers a decode
 * will allocate (on the heap or natively), reserved from the image's header before the decode
 * starts. A reservation that does not fit is refused at once rather than waited for, so an
 * overloaded service answers quickly and the allocation that would have exhausted the heap never
 * happens.
 *
 * <p>Each reservation counts what its array really takes from the heap, not only its length: under
 * G1 an array of half a region or more is humongous and occupies whole regions of its own, so a
 * body of 1 MiB and 51 bytes takes two 1 MiB regions. Counted by length, the budget let such arrays
 * hold 174 regions of a 256 MiB heap against a budget of 128 MiB, and the service ran out of heap
 * (AtLimitUploadsIT failed 2 runs in 11 with an OutOfMemoryError).
 */
public final class MemoryBudget {

  /** A byte array's header on a 64-bit HotSpot: mark word, class pointer and length, aligned. */
  private static final long ARRAY_HEADER = 16;

  private final long capacity;
  private final long region;
  private final AtomicLong used = new AtomicLong();

  /**
   * A budget that counts arrays by their length.
   *
   * @param capacity bytes that may be reserved at once
   */
  public MemoryBudget(long capacity) {
    this(capacity, 0);
  }

  /**
   * @param capacity bytes that may be reserved at once
   * @param region the heap region size when large arrays take whole regions (G1), else 0
   */
  public MemoryBudget(long capacity, long region) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("the memory budget must be positive: " + capacity);
    }
    if (region < 0) {
      throw new IllegalArgumentException("the region size cannot be negative: " + region);
    }
    this.capacity = capacity;
    this.region = region;
  }

  /** A budget of {@code capacity} that counts arrays as this JVM's collector places them. */
  public static MemoryBudget forThisHeap(long capacity) {
    return new MemoryBudget(capacity, g1RegionBytes());
  }

  /** G1's region size, or 0 when another collector runs (it places large arrays contiguously). */
  static long g1RegionBytes() {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot == null || !"true".equals(hotspot.getVMOption("UseG1GC").getValue())) {
      return 0;
    }
    return Long.parseLong(hotspot.getVMOption("G1HeapRegionSize").getValue());
  }

  /** The region size counted for large arrays, 0 when arrays count by their length. */
  public long region() {
    return region;
  }

  /**
   * The heap an array of {@code bytes} takes: whole regions when it is humongous (half a region or
   * more, with its 16-byte header), else its length.
   */
  long footprint(long bytes) {
    if (region == 0 || bytes + ARRAY_HEADER < region / 2) {
      return bytes;
    }
    return (bytes + ARRAY_HEADER + region - 1) / region * region;
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
     * Reserves one more array of {@code more} bytes on top of what this reservation holds, e.g. as
     * an upload's body arrives: counted as the heap it takes ({@link #footprint}).
     */
    public synchronized void grow(long more, String purpose) {
      if (closed) {
        throw new IllegalStateException("the reservation was released");
      }
      long taken = footprint(more);
      take(taken, purpose);
      bytes += taken;
    }

    /**
     * Gives back an array of {@code fewer} bytes reserved by {@link #grow}, e.g. the old array once
     * a growing body was copied.
     */
    public synchronized void release(long fewer) {
      long given = fewer < 0 ? fewer : footprint(fewer);
      if (given < 0 || given > bytes) {
        throw new IllegalArgumentException("cannot release " + fewer + " of " + bytes + " bytes");
      }
      if (!closed) {
        bytes -= given;
        used.addAndGet(-given);
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
