package dev.classifier.http;

import dev.classifier.core.Classification.Timings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * What one request did, filled in as it is served and read once when it ends, by the request log
 * and the metrics. Created and owned by {@link RequestObservationFilter}; handlers record into it,
 * nothing reads it back during the request.
 */
public final class RequestOutcome {

  private static final String ATTRIBUTE = RequestOutcome.class.getName();

  private final long startNanos;
  private volatile String problem;
  private volatile List<Integer> imageBytes;
  private volatile List<Timings> timings;
  private final List<Runnable> atEnd = new java.util.concurrent.CopyOnWriteArrayList<>();

  private RequestOutcome(long startNanos) {
    this.startNanos = startNanos;
  }

  static RequestOutcome start(HttpServletRequest request, long startNanos) {
    RequestOutcome outcome = new RequestOutcome(startNanos);
    request.setAttribute(ATTRIBUTE, outcome);
    return outcome;
  }

  /** The request's outcome, or null outside the observed paths. */
  public static RequestOutcome of(HttpServletRequest request) {
    return (RequestOutcome) request.getAttribute(ATTRIBUTE);
  }

  long startNanos() {
    return startNanos;
  }

  /**
   * The error the response reports, by its slug (a problem type's last segment); the first one
   * recorded wins.
   */
  public void problem(String slug) {
    if (problem == null) {
      problem = slug;
    }
  }

  String problem() {
    return problem;
  }

  void images(List<Integer> bytes) {
    imageBytes = List.copyOf(bytes);
  }

  List<Integer> imageBytes() {
    return imageBytes;
  }

  void timings(List<Timings> perImage) {
    timings = List.copyOf(perImage);
  }

  List<Timings> timings() {
    return timings;
  }

  /** Runs {@code release} when the request ends, however it ends (frees what the request held). */
  void atEnd(Runnable release) {
    atEnd.add(release);
  }

  void ended() {
    atEnd.forEach(Runnable::run);
    atEnd.clear();
  }
}
