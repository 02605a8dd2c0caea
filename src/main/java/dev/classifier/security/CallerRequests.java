package dev.classifier.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts each API call per caller and admission outcome in {@code
 * classifier_caller_requests_total}, for every door: the outcome is {@code admitted} or the slug of
 * the refusal the HTTP doors answer with (the gRPC door uses the same words, so one query covers
 * both).
 */
final class CallerRequests {

  static final String ADMITTED = "admitted";

  private final MeterRegistry registry;

  CallerRequests(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(CallerIdentity caller, String outcome) {
    Counter.builder("classifier.caller.requests")
        .description("API requests by caller (key id, jwt, anonymous) and admission outcome")
        .tag("caller", caller.metricTag())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
