package dev.classifier.image;

/**
 * A reservation did not fit in the {@link MemoryBudget}: the service is busy with other requests'
 * bytes, not faulting; the client may retry.
 */
public class MemoryBudgetExceededException extends RuntimeException {

  private final long requested;
  private final long available;
  private final long capacity;

  public MemoryBudgetExceededException(
      String purpose, long requested, long available, long capacity) {
    super(
        purpose
            + " needs "
            + mib(requested)
            + " of memory but only "
            + mib(available)
            + " of the "
            + mib(capacity)
            + " budget (classifier.memory.budget) is free; retry shortly");
    this.requested = requested;
    this.available = available;
    this.capacity = capacity;
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  public long requested() {
    return requested;
  }

  public long available() {
    return available;
  }

  public long capacity() {
    return capacity;
  }
}
