package dev.classifier.security;

import dev.classifier.http.RequestLog;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who sent a request, as the request log, the metrics and the quotas see it: a key id, a JWT
 * subject, the service's own warm-up, or nobody. Never the credential itself.
 *
 * @param kind how the caller proved who it is
 * @param name the key id, the JWT subject (made safe for a log line), {@code warm-up} or {@code
 *     anonymous}
 */
public record CallerIdentity(Kind kind, String name) {

  /** The request attribute under which HTTP doors leave the caller for the request log. */
  public static final String REQUEST_ATTRIBUTE = RequestLog.CALLER_ATTRIBUTE;

  public static final CallerIdentity ANONYMOUS = new CallerIdentity(Kind.ANONYMOUS, "anonymous");

  /** A subject goes into log lines: anything outside this set, or past 128 characters, is cut. */
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._:@|+-]");

  public enum Kind {
    API_KEY,
    JWT,
    INTERNAL,
    ANONYMOUS
  }

  public CallerIdentity {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  static CallerIdentity apiKey(String id) {
    return new CallerIdentity(Kind.API_KEY, id);
  }

  static CallerIdentity jwt(String subject) {
    String safe = UNSAFE.matcher(subject == null ? "" : subject).replaceAll("_");
    return new CallerIdentity(Kind.JWT, safe.length() > 128 ? safe.substring(0, 128) : safe);
  }

  /**
   * The metrics tag: bounded by configuration (key ids come from the key file), so JWT subjects,
   * which any identity provider user has, all share {@code jwt}.
   */
  public String metricTag() {
    return switch (kind) {
      case API_KEY, INTERNAL, ANONYMOUS -> name;
      case JWT -> "jwt";
    };
  }

  /** The request log's {@code caller} field: {@code key:<id>}, {@code jwt:<sub>}, ... */
  public String logName() {
    return switch (kind) {
      case API_KEY -> "key:" + name;
      case JWT -> "jwt:" + name;
      case INTERNAL, ANONYMOUS -> name;
    };
  }

  @Override
  public String toString() {
    return logName();
  }
}
