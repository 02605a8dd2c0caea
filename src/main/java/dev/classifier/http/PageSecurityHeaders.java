package dev.classifier.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A strict Content-Security-Policy for the try-it page at {@code /} and its assets: scripts and
 * styles only from this origin and never inline, requests only to this origin, images from this
 * origin or from blobs the page made itself, no framing, no plugins. The page was written for it
 * (no inline script, style or handler), so a script injected through, say, a label cannot run.
 * Swagger UI keeps its own, laxer needs and is not covered.
 */
@Component
class PageSecurityHeaders extends OncePerRequestFilter {

  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = RequestPath.of(request);
    return !(path.equals("/") || path.equals("/index.html") || path.startsWith("/assets/"));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("Content-Security-Policy", POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    chain.doFilter(request, response);
  }
}
