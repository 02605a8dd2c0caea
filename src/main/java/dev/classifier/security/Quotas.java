package dev.classifier.security;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-caller quotas, for every door: requests per second (a Resilience4j rate limiter refilled each
 * second) and requests in flight (a semaphore bulkhead that never waits). A door asks {@link
 * #admit} before it reads the request's body and closes the returned permit when the exchange ends.
 * Memory is bounded: state is kept for key ids in the key file (dropped when revoked) and for at
 * most {@code maxJwtSubjects} JWT subjects, least recently seen dropped first; anonymous callers,
 * when the API is open, share one quota.
 */
public final class Quotas {

  /** A limiter of one caller, or none for an unlimited quota. */
  private record Limits(RateLimiter rate, Bulkhead inFlight) {}

  /** An admission's outcome: closing it ends the request's hold on its in-flight slot. */
  public sealed interface Admission {}

  /** Admitted; {@link #close()} exactly once when the request is answered. */
  public static final class Permit implements Admission, AutoCloseable {
    private final Bulkhead inFlight;
    private boolean closed;

    private Permit(Bulkhead inFlight) {
      this.inFlight = inFlight;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        if (inFlight != null) {
          inFlight.onComplete();
        }
      }
    }
  }

  /** Over quota: answer 429 (gRPC: RESOURCE_EXHAUSTED) and say when to retry. */
  public record Exceeded(Duration retryAfter, String detail) implements Admission {}

  private static final Permit UNLIMITED = new Permit(null);

  private final SecurityProperties.Quotas settings;
  private final Map<String, Limits> keys = new ConcurrentHashMap<>();
  private final Map<String, Limits> subjects;
  private final Limits anonymous;

  Quotas(SecurityProperties.Quotas settings) {
    this.settings = settings;
    int maxSubjects = settings.maxJwtSubjects();
    this.subjects =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Limits> eldest) {
            return size() > maxSubjects;
          }
        };
    this.anonymous = limits("anonymous", settings.defaults());
  }

  public Admission admit(CallerIdentity caller) {
    Limits limits =
        switch (caller.kind()) {
          case INTERNAL -> null;
          case ANONYMOUS -> anonymous;
          case API_KEY ->
              keys.computeIfAbsent(
                  caller.name(),
                  id -> limits(id, settings.keys().getOrDefault(id, settings.defaults())));
          case JWT -> subject(caller.name());
        };
    if (limits == null) {
      return UNLIMITED;
    }
    Bulkhead inFlight = limits.inFlight();
    if (inFlight != null && !inFlight.tryAcquirePermission()) {
      return new Exceeded(
          Duration.ofSeconds(1),
          "more than " + inFlight.getBulkheadConfig().getMaxConcurrentCalls() + " in flight");
    }
    RateLimiter rate = limits.rate();
    if (rate != null && !rate.acquirePermission()) {
      if (inFlight != null) {
        inFlight.onComplete();
      }
      long nanos = ((AtomicRateLimiter) rate).getDetailedMetrics().getNanosToWait();
      return new Exceeded(
          Duration.ofNanos(Math.max(nanos, 1)),
          "more than " + rate.getRateLimiterConfig().getLimitForPeriod() + " requests per second");
    }
    return new Permit(inFlight);
  }

  /** Drops the state of key ids no longer in the key file, so revoked ids cost no memory. */
  void retainKeys(Set<String> ids) {
    keys.keySet().retainAll(ids);
  }

  private Limits subject(String subject) {
    synchronized (subjects) {
      return subjects.computeIfAbsent(
          subject, s -> limits("jwt", settings.keys().getOrDefault("jwt", settings.defaults())));
    }
  }

  private static Limits limits(String name, SecurityProperties.Quota quota) {
    if (quota.unlimited()) {
      return null;
    }
    RateLimiter rate =
        quota.requestsPerSecond() == 0
            ? null
            : new AtomicRateLimiter(
                name,
                RateLimiterConfig.custom()
                    .limitForPeriod(quota.requestsPerSecond())
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .timeoutDuration(Duration.ZERO)
                    .build());
    Bulkhead inFlight =
        quota.inFlight() == 0
            ? null
            : Bulkhead.of(
                name,
                BulkheadConfig.custom()
                    .maxConcurrentCalls(quota.inFlight())
                    .maxWaitDuration(Duration.ZERO)
                    .build());
    return new Limits(rate, inFlight);
  }
}
