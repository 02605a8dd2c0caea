package dev.classifier.http;

import dev.classifier.image.MemoryBudget;
import dev.classifier.image.MemoryBudgetExceededException;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * An upload body being collected into one array: sized from Content-Length, or grown as a chunked
 * body arrives, never beyond the upload limit (plus one byte, to notice an overrun). Every byte of
 * the array is reserved from the {@link MemoryBudget} before the array exists.
 */
final class BodyBuffer {

  private static final int CHUNK = 64 << 10;

  private final MemoryBudget.Reservation reservation;
  private final long declared;
  private final long limit;
  private byte[] bytes;
  private int length;
  private final byte[] probe = new byte[1];

  private BodyBuffer(MemoryBudget.Reservation reservation, long declared, long limit, int size) {
    this.reservation = reservation;
    this.declared = declared;
    this.limit = limit;
    this.bytes = new byte[size];
  }

  /**
   * @param declared the Content-Length, or -1 for a chunked body
   * @param limit the most bytes the body may have
   * @throws MemoryBudgetExceededException when the budget cannot hold the first array
   */
  static BodyBuffer open(MemoryBudget budget, long declared, long limit) {
    int size = declared >= 0 ? (int) declared : (int) Math.min(CHUNK, limit + 1);
    return new BodyBuffer(budget.reserve(size, "the upload body"), declared, limit, size);
  }

  /** What {@link #fill} returns when the body has passed the limit. */
  static final int OVER_LIMIT = -2;

  /**
   * Reads what is available: the number of bytes read (0 when none yet), -1 at the end of the body,
   * or {@link #OVER_LIMIT}.
   *
   * @throws MemoryBudgetExceededException when a chunked body outgrows the budget
   */
  int fill(ServletInputStream in) throws IOException {
    if (!makeRoom()) {
      // Full at its declared length: only the end of the body can follow.
      int n = in.read(probe, 0, 1);
      return n > 0 ? OVER_LIMIT : n;
    }
    int n = in.read(bytes, length, bytes.length - length);
    if (n > 0) {
      length += n;
    }
    return length > limit ? OVER_LIMIT : n;
  }

  /** Room for more bytes: false when the array is final and full (the declared length). */
  private boolean makeRoom() {
    if (length < bytes.length) {
      return true;
    }
    long capacity = Math.min(Math.max(2L * bytes.length, CHUNK), limit + 1);
    if (declared >= 0 || capacity == bytes.length) {
      return false;
    }
    // The new array is reserved while the old one still exists; the old one is given back after.
    reservation.grow(capacity, "the upload body");
    int old = bytes.length;
    bytes = Arrays.copyOf(bytes, (int) capacity);
    reservation.release(old);
    return true;
  }

  int length() {
    return length;
  }

  /** Hands the array and its reservation over to the upload, which releases both. */
  Upload toUpload(String contentType, ClientConnection connection) {
    Upload upload =
        new Upload(bytes, length, contentType, System.nanoTime(), reservation, connection);
    bytes = null;
    return upload;
  }

  void release() {
    bytes = null;
    reservation.close();
  }
}
