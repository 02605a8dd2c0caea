package dev.classifier.core;

import dev.classifier.inference.BatchObservations;
import dev.classifier.inference.ModelInfo;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The classification core's part of a request's trace, in the Micrometer Observation API (the
 * tracer behind it is configuration): one {@code classify} observation per request, whatever door
 * it came through, carrying the request id, model and precision, and under it {@code admission};
 * decode and preprocess (the image package) and queue wait and session call (the batcher) nest
 * under it too, since they start while its scope is open.
 */
@Component
public class CoreObservations {

  public static final String MODEL = "classifier.model.name";
  public static final String PRECISION = "classifier.model.precision";

  private final ObservationRegistry registry;

  CoreObservations(ObjectProvider<ObservationRegistry> registry) {
    this.registry = registry.getIfAvailable(() -> ObservationRegistry.NOOP);
  }

  /** Starts the request's observation; end it with {@link #end}. */
  Observation request(String requestId, ModelInfo model) {
    return Observation.createNotStarted(BatchObservations.SPAN_PREFIX + "classify", registry)
        .contextualName("classify")
        .highCardinalityKeyValue(BatchObservations.REQUEST_ID, String.valueOf(requestId))
        .highCardinalityKeyValue(MODEL, model.name())
        .highCardinalityKeyValue(PRECISION, model.precision())
        .start();
  }

  /** Observes taking the request's queue places, a refusal included. */
  <T> T admission(Supplier<T> admit) {
    return Observation.createNotStarted(BatchObservations.SPAN_PREFIX + "admission", registry)
        .contextualName("admission")
        .observe(admit);
  }

  void end(Observation request, Throwable failure) {
    if (failure != null) {
      request.error(
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure);
    }
    request.stop();
  }
}
