package dev.classifier.inference;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The batcher's part of a request's trace, in the Micrometer Observation API: each image's wait in
 * the queue, and its share of the session call, both children of the observation that was current
 * when the image was queued (the request's). A batch mixes requests, so each image gets its own
 * session-call child carrying the batch size and the ids of the requests batched together. Nothing
 * is created when there is no current observation (no tracing, or the warm-up).
 */
public final class BatchObservations {

  /** The key under which a request's observation carries its request id, read for the batch ids. */
  public static final String REQUEST_ID = "classifier.request.id";

  /** Observation names of the service's own spans; their meters are not registered twice. */
  public static final String SPAN_PREFIX = "classifier.span.";

  private final ObservationRegistry registry;

  public BatchObservations(ObservationRegistry registry) {
    this.registry = registry;
  }

  static final BatchObservations NONE = new BatchObservations(ObservationRegistry.NOOP);

  /** The observation an image queued now belongs to, or null. */
  Observation current() {
    return registry.isNoop() ? null : registry.getCurrentObservation();
  }

  /** Starts the queue wait of an image queued under {@code parent}. */
  Observation queued(Observation parent) {
    if (parent == null) {
      return null;
    }
    return Observation.createNotStarted(SPAN_PREFIX + "queue", registry)
        .contextualName("queue wait")
        .parentObservation(parent)
        .start();
  }

  /** Starts each image's share of one session call, with what was batched together. */
  Observation[] sessionCall(List<Job> batch) {
    Observation[] calls = new Observation[batch.size()];
    String ids = null;
    for (int i = 0; i < batch.size(); i++) {
      Observation parent = batch.get(i).parent();
      if (parent == null) {
        continue;
      }
      if (ids == null) {
        ids = batch.stream().map(BatchObservations::requestId).collect(Collectors.joining(","));
      }
      calls[i] =
          Observation.createNotStarted(SPAN_PREFIX + "inference", registry)
              .contextualName("session call")
              .parentObservation(parent)
              .highCardinalityKeyValue(
                  KeyValue.of("classifier.batch.size", Integer.toString(batch.size())))
              .highCardinalityKeyValue(KeyValue.of("classifier.batch.request.ids", ids))
              .start();
    }
    return calls;
  }

  /** The request id of the nearest observation up from the job's that carries one. */
  private static String requestId(Job job) {
    ObservationView view = job.parent();
    // Bounded: a request's observations nest a few levels deep, never in a cycle.
    for (int depth = 0; view != null && depth < 8; depth++) {
      KeyValue id = view.getContextView().getHighCardinalityKeyValue(REQUEST_ID);
      if (id != null) {
        return id.getValue();
      }
      view = view.getContextView().getParentObservation();
    }
    return "-";
  }

  static void stop(Observation observation, Throwable error) {
    if (observation != null) {
      if (error != null) {
        observation.error(error);
      }
      observation.stop();
    }
  }
}
