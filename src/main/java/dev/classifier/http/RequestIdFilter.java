package dev.classifier.http;

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
 * echo into logs and headers, a fresh UUID otherwise. The id is returned as a header and put in the
 * log context, also on the threads of asynchronous dispatches.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

  public static final String HEADER = "X-Request-Id";

  /** A caller's request id is echoed only when it is safe in logs and headers. */
  public static final String REGEX = "[A-Za-z0-9._:-]{1,128}";

  private static final Pattern SAFE = Pattern.compile(REGEX);

  static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String id = (String) request.getAttribute(ATTRIBUTE);
    if (id == null) {
      String offered = request.getHeader(HEADER);
      id =
          offered != null && SAFE.matcher(offered).matches()
              ? offered
              : UUID.randomUUID().toString();
      request.setAttribute(ATTRIBUTE, id);
      response.setHeader(HEADER, id);
    }
    MDC.put("requestId", id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("requestId");
    }
  }

  public static String of(HttpServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    return id != null ? id.toString() : null;
  }
}
