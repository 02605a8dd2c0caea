package dev.classifier.http;

import dev.classifier.image.MemoryBudget;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A request body read in full by {@link UploadFilter}, held once in one array (multipart parts are
 * slices of it), its memory reservation, and the connection it came on. Released as soon as its
 * images are decoded, and at the latest when the request ends.
 */
public final class Upload {

  private static final String ATTRIBUTE = Upload.class.getName();

  private byte[] bytes;
  private final int length;
  private final String contentType;
  private final long receivedNanos;
  private final MemoryBudget.Reservation reservation;
  private final ClientConnection connection;

  Upload(
      byte[] bytes,
      int length,
      String contentType,
      long receivedNanos,
      MemoryBudget.Reservation reservation,
      ClientConnection connection) {
    this.bytes = bytes;
    this.length = length;
    this.contentType = contentType;
    this.receivedNanos = receivedNanos;
    this.reservation = reservation;
    this.connection = connection;
  }

  void attachTo(HttpServletRequest request) {
    request.setAttribute(ATTRIBUTE, this);
  }

  /**
   * The request's upload, read by {@link UploadFilter}, which reads every body a door says is an
   * upload; null for any other request (a door answers that with its own error).
   */
  public static Upload of(HttpServletRequest request) {
    return (Upload) request.getAttribute(ATTRIBUTE);
  }

  public synchronized byte[] bytes() {
    if (bytes == null) {
      throw new IllegalStateException("the upload was released");
    }
    return bytes;
  }

  public int length() {
    return length;
  }

  public String contentType() {
    return contentType;
  }

  /** When the last byte arrived: the request's deadline starts here, not at its first byte. */
  long receivedNanos() {
    return receivedNanos;
  }

  ClientConnection connection() {
    return connection;
  }

  /** Drops the body and gives its memory back; idempotent. */
  synchronized void release() {
    bytes = null;
    reservation.close();
  }
}
