package dev.classifier.metrics;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times every classification request as a whole and counts it by outcome and problem type. A filter
 * rather than an interceptor so the time includes multipart parsing and the error handler's
 * response.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ClassificationMetricsFilter extends OncePerRequestFilter {

  private final ClassifierMetrics metrics;

  ClassificationMetricsFilter(ClassifierMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/v1/classify");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long start = System.nanoTime();
    metrics.requestStarted();
    int status = 500;
    try {
      chain.doFilter(request, response);
      status = response.getStatus();
    } finally {
      Object type = request.getAttribute(ClassifierMetrics.ERROR_TYPE_ATTRIBUTE);
      metrics.requestFinished(
          System.nanoTime() - start, status, type != null ? type.toString() : null);
    }
  }
}
