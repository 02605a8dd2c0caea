package dev.classifier.metrics;

import dev.classifier.inference.BatchObservations;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Claims the service's own stage observations ({@code classifier.span.*}) for the meter handlers
 * and records nothing: those stages are already timed with the SLO buckets of {@link
 * ClassifierMetrics}, so they become spans only. Spring Boot offers an observation to the first
 * meter handler that supports it; this one comes first.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SpansWithoutMeters implements MeterObservationHandler<Observation.Context> {

  @Override
  public boolean supportsContext(Observation.Context context) {
    String name = context.getName();
    return name != null && name.startsWith(BatchObservations.SPAN_PREFIX);
  }
}
