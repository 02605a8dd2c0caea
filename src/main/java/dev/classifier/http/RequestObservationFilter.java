package dev.classifier.http;

import dev.classifier.inference.Hop;
import dev.classifier.metrics.ClassifierMetrics;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times each API request once, from arrival to the end of its response, and hands its {@link
 * RequestOutcome} to the request log and, for classifications (with or without an explanation), to
 * the metrics. Requests served asynchronously (uploads are read without a thread, inference is
 * awaited without one) end in an {@link AsyncListener}, not when this filter returns.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestObservationFilter extends OncePerRequestFilter {

  private final ClassifierMetrics metrics;
  private final HttpDoors doors;

  RequestObservationFilter(ClassifierMetrics metrics, HttpDoors doors) {
    this.metrics = metrics;
    this.doors = doors;
  }

  /** The doors only: not probes and scrapes, not the page's assets or the OpenAPI document. */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return doors.claiming(RequestPath.of(request)) == null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Hop.mark("request");
    RequestOutcome outcome = RequestOutcome.start(request, System.nanoTime());
    Completion completion = new Completion(request, response, outcome);
    boolean failed = true;
    try {
      chain.doFilter(request, response);
      failed = false;
    } finally {
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(completion);
      } else {
        completion.finish(
            failed ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : response.getStatus());
      }
    }
  }

  /** Ends the observation once, whichever way the exchange ends. */
  private final class Completion implements AsyncListener {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final RequestOutcome outcome;
    private final String method;
    private final String path;
    private final boolean classification;
    private final String protocol;
    private final AtomicBoolean finished = new AtomicBoolean();

    Completion(HttpServletRequest request, HttpServletResponse response, RequestOutcome outcome) {
      this.request = request;
      this.response = response;
      this.outcome = outcome;
      this.method = request.getMethod();
      this.path = request.getRequestURI();
      this.classification = doors.isClassification(request);
      HttpDoor door = doors.claiming(RequestPath.of(request));
      this.protocol = door != null ? door.protocol() : "unknown";
      if (classification) {
        metrics.requestStarted();
      }
    }

    void finish(int status) {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      outcome.ended();
      Hop.mark("completed");
      long nanos = System.nanoTime() - outcome.startNanos();
      if (classification) {
        metrics.requestFinished(nanos, status, outcome.problem(), protocol);
      }
      RequestLog.write(
          RequestIdFilter.of(request),
          TraceFilter.traceId(request),
          method,
          path,
          status,
          nanos,
          outcome,
          request.getAttribute(RequestLog.CALLER_ATTRIBUTE));
    }

    @Override
    public void onComplete(AsyncEvent event) {
      finish(response.getStatus());
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    /** A new asynchronous cycle drops the old listeners: come along. */
    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
