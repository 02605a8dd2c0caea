package dev.classifier.security;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * The HTTP doors' use of {@link Quotas}: after authentication and before the body is read (it runs
 * inside Spring Security's chain, which is ordered before the upload reader), so a caller over its
 * quota costs a header parse, not an upload. The in-flight slot is held until the exchange ends,
 * also when it ends asynchronously.
 */
final class QuotaFilter extends OncePerRequestFilter {

  private final Quotas quotas;
  private final RefusalWriter refusals;

  QuotaFilter(Quotas quotas, RefusalWriter refusals) {
    this.quotas = quotas;
    this.refusals = refusals;
  }

  /** The API doors only: not health, the page or the OpenAPI document. */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
    return !SecurityConfiguration.isApiPath(path);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    CallerIdentity caller = RefusalWriter.caller(request);
    request.setAttribute(CallerIdentity.REQUEST_ATTRIBUTE, caller);
    Quotas.Admission admission = quotas.admit(caller);
    if (admission instanceof Quotas.Exceeded exceeded) {
      refusals.quotaExceeded(request, response, caller, exceeded);
      return;
    }
    Quotas.Permit permit = (Quotas.Permit) admission;
    refusals.admitted(caller);
    boolean async = false;
    try {
      chain.doFilter(request, response);
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new Release(permit));
        async = true;
      }
    } finally {
      if (!async) {
        permit.close();
      }
    }
  }

  /** Frees the in-flight slot however the asynchronous exchange ends. */
  private record Release(Quotas.Permit permit) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      permit.close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {
      permit.close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
