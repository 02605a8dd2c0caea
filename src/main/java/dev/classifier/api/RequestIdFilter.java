package dev.classifier.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id for correlation: the caller's {@code X-Request-Id} when it is safe to
 * echo into logs and headers (1–128 characters of {@code [A-Za-z0-9._:-]}), a fresh UUID otherwise.
 * The id is returned as a header, put in the log context, and read by the controller and error
 * handler.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

  static final String HEADER = "X-Request-Id";
  static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String offered = request.getHeader(HEADER);
    String id =
        offered != null && SAFE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    request.setAttribute(ATTRIBUTE, id);
    response.setHeader(HEADER, id);
    MDC.put("requestId", id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("requestId");
    }
  }

  static String of(HttpServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    return id != null ? id.toString() : UUID.randomUUID().toString();
  }
}
