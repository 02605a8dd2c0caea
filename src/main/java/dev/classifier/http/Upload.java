package dev.classifier.http;

import dev.classifier.image.MemoryBudget;
import dev.classifier.rest.v1.ApiContract;
import dev.classifier.rest.v1.ApiException;
import dev.classifier.rest.v1.ProblemType;
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

  public Upload(
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

  public void attachTo(HttpServletRequest request) {
    request.setAttribute(ATTRIBUTE, this);
  }

  /**
   * The request's upload, read by {@link UploadFilter}, which reads every body of a type an upload
   * endpoint takes.
   *
   * @throws ApiException 415 for a body of any other type
   */
  public static Upload of(HttpServletRequest request) {
    Upload upload = (Upload) request.getAttribute(ATTRIBUTE);
    if (upload != null) {
      return upload;
    }
    if (!ApiContract.isUploadType(request.getContentType())) {
      throw new ApiException(
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type '"
              + request.getContentType()
              + "' is not supported; send multipart/form-data or one of "
              + ApiContract.RAW_IMAGE_TYPES);
    }
    throw new IllegalStateException("no upload was read for " + request.getRequestURI());
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
  public long receivedNanos() {
    return receivedNanos;
  }

  public ClientConnection connection() {
    return connection;
  }

  /** Drops the body and gives its memory back; idempotent. */
  public synchronized void release() {
    bytes = null;
    reservation.close();
  }
}
