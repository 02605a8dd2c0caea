package dev.classifier.security;

import java.util.Objects;

/**
 * What {@link Authenticator} decided about one set of credentials: a caller, or why not. A door
 * maps the refusal to its protocol (HTTP 400/401/403, gRPC UNAUTHENTICATED / PERMISSION_DENIED).
 */
public sealed interface Verdict {

  /** The credentials prove who the caller is, and that it may call the API. */
  record Allowed(CallerIdentity caller) implements Verdict {
    public Allowed {
      Objects.requireNonNull(caller, "caller");
    }
  }

  /**
   * The credentials are missing or do not hold.
   *
   * @param detail safe to show the caller: never echoes the credential
   * @param caller who it is when that is known ({@link Refusal#INSUFFICIENT_SCOPE}), else null
   */
  record Refused(Refusal reason, String detail, CallerIdentity caller) implements Verdict {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    public Refused(Refusal reason, String detail) {
      this(reason, detail, null);
    }
  }

  /**
   * Why credentials were refused, with RFC 6750's error code ({@code WWW-Authenticate: Bearer
   * error="..."}).
   */
  enum Refusal {
    /** None were sent: RFC 6750 says to send no error code then. */
    MISSING(null),
    /** Not a bearer credential, both headers at once, or past the length limit. */
    MALFORMED("invalid_request"),
    /** Unknown or revoked key; a JWT that is expired, for another audience, unsigned or forged. */
    INVALID("invalid_token"),
    /** A valid JWT without the required scope. */
    INSUFFICIENT_SCOPE("insufficient_scope");

    private final String errorCode;

    Refusal(String errorCode) {
      this.errorCode = errorCode;
    }

    /** RFC 6750 section 3.1's error code, or null for {@link #MISSING}. */
    public String errorCode() {
      return errorCode;
    }
  }
}
