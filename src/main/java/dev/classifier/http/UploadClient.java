package dev.classifier.http;

import dev.classifier.core.Classification;
import dev.classifier.core.Client;
import dev.classifier.inference.Hop;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * An HTTP upload's client as the core sees it: the deadline starts when the body was complete, the
 * connection is probed for a disconnect, the body's memory goes back once decoded, and what the
 * request did lands in its {@link RequestOutcome} for the request log and metrics.
 */
public final class UploadClient implements Client {

  private final Upload upload;
  private final RequestOutcome outcome;
  private final String requestId;

  private UploadClient(Upload upload, RequestOutcome outcome, String requestId) {
    this.upload = upload;
    this.outcome = outcome;
    this.requestId = requestId;
  }

  /** The client of a request whose upload {@link UploadFilter} has read. */
  public static UploadClient of(HttpServletRequest request, Upload upload) {
    return new UploadClient(upload, RequestOutcome.of(request), RequestIdFilter.of(request));
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public long arrivedNanos() {
    return outcome != null ? outcome.startNanos() : upload.receivedNanos();
  }

  @Override
  public long receivedNanos() {
    return upload.receivedNanos();
  }

  @Override
  public boolean gone() {
    return upload.connection().gone();
  }

  @Override
  public void answered() {
    upload.connection().answered();
  }

  @Override
  public void release() {
    upload.release();
  }

  @Override
  public void images(List<Integer> bytes) {
    Hop.mark("dispatched");
    if (outcome != null) {
      outcome.images(bytes);
    }
  }

  @Override
  public void timings(List<Classification.Timings> perImage) {
    Hop.mark("assembled");
    if (outcome != null) {
      outcome.timings(perImage);
    }
  }
}
