package dev.classifier.http;

import dev.classifier.rest.v1.ClassificationResponse.Timings;
import dev.classifier.rest.v1.ProblemType;
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
  private volatile ProblemType problem;
  private volatile List<Integer> imageBytes;
  private volatile List<Timings> timings;
  private final List<Runnable> atEnd = new java.util.concurrent.CopyOnWriteArrayList<>();

  private RequestOutcome(long startNanos) {
    this.startNanos = startNanos;
  }

  public static RequestOutcome start(HttpServletRequest request, long startNanos) {
    RequestOutcome outcome = new RequestOutcome(startNanos);
    request.setAttribute(ATTRIBUTE, outcome);
    return outcome;
  }

  /** The request's outcome, or null outside the observed paths. */
  public static RequestOutcome of(HttpServletRequest request) {
    return (RequestOutcome) request.getAttribute(ATTRIBUTE);
  }

  public long startNanos() {
    return startNanos;
  }

  /** The error the response reports; the first one recorded wins. */
  public void problem(ProblemType type) {
    if (problem == null) {
      problem = type;
    }
  }

  public ProblemType problem() {
    return problem;
  }

  public void images(List<Integer> bytes) {
    imageBytes = List.copyOf(bytes);
  }

  public List<Integer> imageBytes() {
    return imageBytes;
  }

  public void timings(List<Timings> perImage) {
    timings = List.copyOf(perImage);
  }

  public List<Timings> timings() {
    return timings;
  }

  /** Runs {@code release} when the request ends, however it ends (frees what the request held). */
  public void atEnd(Runnable release) {
    atEnd.add(release);
  }

  public void ended() {
    atEnd.forEach(Runnable::run);
    atEnd.clear();
  }
}
