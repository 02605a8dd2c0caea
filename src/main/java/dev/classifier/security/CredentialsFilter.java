package dev.classifier.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The HTTP doors' use of {@link Authenticator}: reads {@code Authorization} and {@code X-API-Key},
 * answers malformed or invalid credentials at once, and otherwise leaves the caller in Spring
 * Security's context (and the request, for the request log) for the authorization rules; a request
 * without credentials goes on as anonymous, so open paths stay open.
 */
final class CredentialsFilter extends OncePerRequestFilter {

  static final String API_KEY_HEADER = "X-API-Key";

  private final Authenticator authenticator;
  private final RefusalWriter refusals;
  private final RequestMatcher management;

  /**
   * @param management the actuator endpoints: answered to whoever reaches the management port (the
   *     NetworkPolicy decides who can), so a scraper's stray header changes nothing
   */
  CredentialsFilter(
      Authenticator authenticator, RefusalWriter refusals, RequestMatcher management) {
    this.authenticator = authenticator;
    this.refusals = refusals;
    this.management = management;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return management.matches(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Verdict verdict =
        authenticator.authenticate(
            request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader(API_KEY_HEADER));
    if (verdict instanceof Verdict.Allowed allowed) {
      authenticated(request, allowed.caller(), true);
    } else if (verdict instanceof Verdict.Refused refused) {
      switch (refused.reason()) {
        case MISSING -> {}
        case INSUFFICIENT_SCOPE ->
            // Who it is is known: the log names it, the 403 comes from the authorization rules.
            authenticated(request, refused.caller(), false);
        case MALFORMED, INVALID -> {
          refusals.refuse(request, response, refused);
          return;
        }
      }
    }
    chain.doFilter(request, response);
  }

  private static void authenticated(
      HttpServletRequest request, CallerIdentity caller, boolean mayCall) {
    request.setAttribute(CallerIdentity.REQUEST_ATTRIBUTE, caller);
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(new CallerAuthentication(caller, mayCall));
    SecurityContextHolder.setContext(context);
  }
}
