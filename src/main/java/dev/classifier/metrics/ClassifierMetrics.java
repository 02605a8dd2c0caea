package dev.classifier.metrics;

import dev.classifier.inference.BatchListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The metrics package's door: the serving layer reports stage times, the batcher reports queue
 * waits and batch executions (as a {@link BatchListener}), and everything is published as
 * Micrometer meters with latency histograms, so Prometheus can aggregate percentiles across
 * replicas.
 */
@Component
public class ClassifierMetrics implements BatchListener {

  /**
   * Bucket boundaries from 1 ms to 30 s, roughly ×2.5 apart: fine enough to read p50/p99 of any
   * stage.
   */
  static final List<Duration> LATENCY_BUCKETS =
      Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)
          .map(Duration::ofMillis)
          .toList();

  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

  private final MeterRegistry registry;
  private final Timer request;
  private final Timer decode;
  private final Timer preprocess;
  private final Timer queueWait;
  private final Timer inference;
  private final Timer explain;
  private final DistributionSummary batchSize;
  private final AtomicInteger inFlight = new AtomicInteger();

  ClassifierMetrics(MeterRegistry registry, MetricsProperties properties) {
    this.registry = registry;
    Duration[] buckets =
        Stream.concat(LATENCY_BUCKETS.stream(), properties.slo().stream())
            .distinct()
            .sorted()
            .toArray(Duration[]::new);
    this.request =
        timer("classifier.request", "Whole classification request, arrival to response", buckets);
    this.decode = timer("classifier.decode", "Decoding one image", buckets);
    this.preprocess = timer("classifier.preprocess", "Resizing and normalising one image", buckets);
    this.queueWait =
        timer("classifier.queue.wait", "Time one image waited for an inference worker", buckets);
    this.inference = timer("classifier.inference", "One session call (one batch)", buckets);
    this.explain =
        timer(
            "classifier.explain",
            "Explaining one image: its class activation maps, and the PNG overlay when asked",
            buckets);
    this.batchSize =
        DistributionSummary.builder("classifier.batch.size")
            .description("Images per session call")
            .serviceLevelObjectives(BATCH_BUCKETS)
            .register(registry);
    Gauge.builder("classifier.requests.in.flight", inFlight, AtomicInteger::get)
        .description("Classification requests being served")
        .register(registry);
  }

  private Timer timer(String name, String description, Duration[] buckets) {
    return Timer.builder(name)
        .description(description)
        .serviceLevelObjectives(buckets)
        .minimumExpectedValue(buckets[0])
        .maximumExpectedValue(buckets[buckets.length - 1])
        .register(registry);
  }

  /** One image went through decode and preprocessing. */
  public void imagePrepared(long decodeNanos, long preprocessNanos) {
    decode.record(decodeNanos, TimeUnit.NANOSECONDS);
    preprocess.record(preprocessNanos, TimeUnit.NANOSECONDS);
  }

  /** One image was explained (maps computed, and for a PNG the overlay drawn and encoded). */
  public void explained(long nanos) {
    explain.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void dequeued(long queueNanos) {
    queueWait.record(queueNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void batchExecuted(int batchSize, long inferenceNanos) {
    inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
    this.batchSize.record(batchSize);
  }

  /** A job was dropped without inference because its client had disconnected while it queued. */
  @Override
  public void clientGone() {
    clientGone("in-queue");
  }

  /**
   * A request was dropped because its client had disconnected.
   *
   * @param stage where it was noticed: {@code before-decode}, {@code before-queue} or {@code
   *     in-queue}
   */
  public void clientGone(String stage) {
    Counter.builder("classifier.client.gone")
        .description(
            "Requests dropped because the client had disconnected, by where it was noticed")
        .tag("stage", stage)
        .register(registry)
        .increment();
  }

  public void requestStarted() {
    inFlight.incrementAndGet();
  }

  /**
   * A classification request ended, through any door.
   *
   * @param status the HTTP status, or for gRPC the one its failure would have over HTTP
   * @param errorType the problem type slug, or null for a success
   * @param protocol the door it came through: {@code v1}, {@code v2-rest} or {@code v2-grpc}
   */
  public void requestFinished(long nanos, int status, String errorType, String protocol) {
    inFlight.decrementAndGet();
    request.record(nanos, TimeUnit.NANOSECONDS);
    Counter.builder("classifier.classifications")
        .description("Classification requests by outcome, problem type and protocol")
        .tag("outcome", outcome(status))
        .tag("type", errorType != null ? errorType : status < 400 ? "none" : "unknown")
        .tag("protocol", protocol)
        .register(registry)
        .increment();
  }

  /**
   * One gRPC call ended, whatever its method: its latency by method and status code.
   *
   * @param method the RPC's short name, e.g. {@code ModelInfer}
   * @param code the gRPC status code's name, e.g. {@code OK}, {@code INVALID_ARGUMENT}
   */
  public void grpcCall(String method, String code, long nanos) {
    Timer.builder("classifier.grpc.server.calls")
        .description("gRPC calls by method and status code, start to close")
        .tag("method", method)
        .tag("code", code)
        .serviceLevelObjectives(LATENCY_BUCKETS.toArray(Duration[]::new))
        .minimumExpectedValue(LATENCY_BUCKETS.get(0))
        .maximumExpectedValue(LATENCY_BUCKETS.get(LATENCY_BUCKETS.size() - 1))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  static String outcome(int status) {
    if (status < 400) {
      return "success";
    }
    if (status == 429 || status == 503) {
      return "rejected";
    }
    return status < 500 ? "client_error" : "server_error";
  }
}
