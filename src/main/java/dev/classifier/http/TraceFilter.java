package dev.classifier.http;

import dev.classifier.core.CoreObservations;
import dev.classifier.inference.BatchObservations;
import dev.classifier.inference.Inference;
import dev.classifier.inference.ModelInfo;
import io.micrometer.common.KeyValue;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Joins the API request's server observation (Spring's {@link ServerHttpObservationFilter}, whose
 * span continues a caller's W3C {@code traceparent}) to the service's own vocabulary: the request
 * id and the model and precision serving it become span attributes, and the trace id is kept for
 * the request log line. High-cardinality key values only, so the HTTP metrics keep their tags. Runs
 * where the handler runs: after {@link UploadFilter}'s asynchronous body read, in the dispatch that
 * the server observation scopes again.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class TraceFilter extends OncePerRequestFilter {

  static final String TRACE_ID = TraceFilter.class.getName() + ".traceId";

  private final ObjectProvider<Tracer> tracer;
  private final Inference inference;
  private final HttpDoors doors;

  TraceFilter(ObjectProvider<Tracer> tracer, Inference inference, HttpDoors doors) {
    this.tracer = tracer;
    this.inference = inference;
    this.doors = doors;
  }

  /** The doors only, as the request log. */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return doors.claiming(RequestPath.of(request)) == null;
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    ServerHttpObservationFilter.findObservationContext(request)
        .ifPresent(
            context -> {
              ModelInfo model = inference.model();
              context.addHighCardinalityKeyValue(
                  KeyValue.of(
                      BatchObservations.REQUEST_ID, String.valueOf(RequestIdFilter.of(request))));
              context.addHighCardinalityKeyValue(KeyValue.of(CoreObservations.MODEL, model.name()));
              context.addHighCardinalityKeyValue(
                  KeyValue.of(CoreObservations.PRECISION, model.precision()));
            });
    Tracer current = tracer.getIfAvailable();
    Span span = current == null ? null : current.currentSpan();
    if (span != null) {
      request.setAttribute(TRACE_ID, span.context().traceId());
    }
    chain.doFilter(request, response);
  }

  /** The trace the request joined, or null when tracing is not configured. */
  static String traceId(HttpServletRequest request) {
    Object id = request.getAttribute(TRACE_ID);
    return id != null ? id.toString() : null;
  }
}
