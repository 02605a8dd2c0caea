package dev.classifier.grpc;

import dev.classifier.http.RequestLog;
import dev.classifier.metrics.ClassifierMetrics;
import dev.classifier.security.GrpcAuthentication;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Times each call of the V2 service from its start to its close (or its client's cancellation) and
 * then writes what it did once: the per-RPC latency histogram by status code, the classification
 * counters for ModelInfer ({@code protocol=v2-grpc}), and the request log line every door writes.
 */
final class CallObservation implements ServerInterceptor {

  static final String INFER = "ModelInfer";

  private final ClassifierMetrics metrics;

  CallObservation(ClassifierMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    boolean infer = INFER.equals(method);
    GrpcCall state = new GrpcCall(System.nanoTime(), RequestIdInterceptor.current().orElse(null));
    if (infer) {
      metrics.requestStarted();
    }
    AtomicBoolean finished = new AtomicBoolean();
    Runnable[] finish = new Runnable[1];
    Status[] closing = new Status[1];
    finish[0] =
        () -> {
          if (finished.compareAndSet(false, true)) {
            finished(
                call.getMethodDescriptor().getFullMethodName(), method, infer, state, closing[0]);
          }
        };
    ServerCall<Q, A> observed =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            closing[0] = status;
            try {
              super.close(status, trailers);
            } finally {
              finish[0].run();
            }
          }
        };
    ServerCall.Listener<Q> listener =
        Contexts.interceptCall(
            Context.current()
                .withValue(GrpcCall.KEY, state)
                .withValue(GrpcAuthentication.CALLER, state::caller),
            observed,
            headers,
            next);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        if (closing[0] == null) {
          closing[0] = Status.CANCELLED;
        }
        try {
          super.onCancel();
        } finally {
          finish[0].run();
        }
      }
    };
  }

  private void finished(
      String fullName, String method, boolean infer, GrpcCall state, Status status) {
    long nanos = System.nanoTime() - state.startNanos();
    Status.Code code = status.getCode();
    metrics.grpcCall(method, code.name(), nanos);
    String problem =
        state.refusal() != null
            ? state.refusal().slug()
            : code == Status.Code.OK ? null : GrpcStatuses.slug(code);
    if (infer) {
      metrics.requestFinished(
          nanos,
          state.refusal() != null
              ? state.refusal().httpStatus()
              : GrpcStatuses.httpEquivalent(code),
          problem,
          "v2-grpc");
    }
    String requestId = state.requestId();
    RequestLog.write(
        requestId != null ? requestId : UUID.randomUUID().toString(),
        null,
        "grpc",
        fullName,
        code.name(),
        nanos,
        state.caller(),
        problem,
        state.images(),
        state.timings());
  }
}
