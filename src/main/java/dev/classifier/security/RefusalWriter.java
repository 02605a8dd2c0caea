package dev.classifier.security;

import dev.classifier.http.HttpDoors;
import dev.classifier.http.Refusal;
import dev.classifier.http.Rejection;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Answers refused HTTP calls in the error format of the door the path belongs to (RFC 9457 problems
 * on /v1), with RFC 6750's {@code WWW-Authenticate: Bearer} challenge, before any body is read (so
 * the connection closes: the unread body is not worth reading), and counts each call per caller in
 * {@code classifier_caller_requests_total}.
 */
final class RefusalWriter {

  static final String REALM = "classifier";

  private final HttpDoors doors;
  private final CallerRequests requests;
  private final Optional<String> requiredScope;

  RefusalWriter(HttpDoors doors, MeterRegistry registry, Optional<String> requiredScope) {
    this.doors = doors;
    this.requests = new CallerRequests(registry);
    this.requiredScope = requiredScope;
  }

  void refuse(HttpServletRequest request, HttpServletResponse response, Verdict.Refused refused)
      throws IOException {
    Rejection type =
        switch (refused.reason()) {
          case MISSING, INVALID -> Rejection.UNAUTHORIZED;
          case MALFORMED -> Rejection.MALFORMED_REQUEST;
          case INSUFFICIENT_SCOPE -> Rejection.FORBIDDEN;
        };
    response.setHeader("WWW-Authenticate", challenge(refused));
    CallerIdentity caller = caller(request);
    count(caller, type.slug());
    doors.writeRefusal(request, response, new Refusal(type, refused.detail(), null));
  }

  void quotaExceeded(
      HttpServletRequest request,
      HttpServletResponse response,
      CallerIdentity caller,
      Quotas.Exceeded exceeded)
      throws IOException {
    count(caller, Rejection.QUOTA_EXCEEDED.slug());
    doors.writeRefusal(
        request,
        response,
        new Refusal(
            Rejection.QUOTA_EXCEEDED,
            caller.logName() + " is over its quota: " + exceeded.detail(),
            exceeded.retryAfter().isZero() ? Duration.ofSeconds(1) : exceeded.retryAfter()));
  }

  /** A caller the authorization rules turned away: a JWT without the required scope. */
  Verdict.Refused insufficientScope(HttpServletRequest request) {
    return new Verdict.Refused(
        Verdict.Refusal.INSUFFICIENT_SCOPE,
        "the token lacks the scope " + requiredScope.orElse(""),
        caller(request));
  }

  void admitted(CallerIdentity caller) {
    count(caller, CallerRequests.ADMITTED);
  }

  /** RFC 6750 section 3: the error code only when credentials were sent. */
  private String challenge(Verdict.Refused refused) {
    StringBuilder value = new StringBuilder("Bearer realm=\"").append(REALM).append('"');
    String error = refused.reason().errorCode();
    if (error != null) {
      value.append(", error=\"").append(error).append('"');
      // The detail is one of this package's fixed sentences: no quote or backslash to escape.
      value.append(", error_description=\"").append(refused.detail()).append('"');
    }
    if (refused.reason() == Verdict.Refusal.INSUFFICIENT_SCOPE && requiredScope.isPresent()) {
      value.append(", scope=\"").append(requiredScope.get()).append('"');
    }
    return value.toString();
  }

  private void count(CallerIdentity caller, String outcome) {
    requests.count(caller, outcome);
  }

  static CallerIdentity caller(HttpServletRequest request) {
    return request.getAttribute(CallerIdentity.REQUEST_ATTRIBUTE) instanceof CallerIdentity caller
        ? caller
        : CallerIdentity.ANONYMOUS;
  }
}
