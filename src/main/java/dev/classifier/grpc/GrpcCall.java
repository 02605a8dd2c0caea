package dev.classifier.grpc;

import dev.classifier.core.Classification.Timings;
import dev.classifier.oip.OipStatus;
import io.grpc.Context;
import java.util.List;

/**
 * What one gRPC call did, filled in as it is served and read once when it closes, by the request
 * log and the metrics ({@link CallObservation}, which puts it in the call's {@link Context}).
 */
final class GrpcCall {

  static final Context.Key<GrpcCall> KEY = Context.key("classifier-grpc-call");

  private final long startNanos;
  private volatile String requestId;
  private volatile OipStatus refusal;
  private volatile List<Integer> images;
  private volatile List<Timings> timings;
  private volatile Object caller;

  GrpcCall(long startNanos, String requestId) {
    this.startNanos = startNanos;
    this.requestId = requestId;
  }

  /** The current call's record; a fresh one outside {@link CallObservation} (direct calls). */
  static GrpcCall current() {
    GrpcCall call = KEY.get();
    return call != null ? call : new GrpcCall(System.nanoTime(), null);
  }

  long startNanos() {
    return startNanos;
  }

  String requestId() {
    return requestId;
  }

  /** Who made the call (its {@code toString} is the log's caller), or null when anonymous. */
  Object caller() {
    return caller;
  }

  void caller(Object caller) {
    this.caller = caller;
  }

  /** Sets the request id when the metadata had none (the request's {@code id}, or a new one). */
  void requestIdIfNone(String id) {
    if (requestId == null) {
      requestId = id;
    }
  }

  OipStatus refusal() {
    return refusal;
  }

  void refused(OipStatus status) {
    if (refusal == null) {
      refusal = status;
    }
  }

  List<Integer> images() {
    return images;
  }

  void images(List<Integer> bytes) {
    images = List.copyOf(bytes);
  }

  List<Timings> timings() {
    return timings;
  }

  void timings(List<Timings> perImage) {
    timings = List.copyOf(perImage);
  }
}
