package dev.classifier.security;

import dev.classifier.http.Rejection;
import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.function.Consumer;

/**
 * The gRPC door's authentication and quotas, the same as the HTTP doors': with {@code
 * classifier.security.enabled} a call needs a good API key or JWT in its {@code authorization}
 * ({@code Bearer ...}) or {@code x-api-key} metadata, and every call (anonymous when security is
 * off) asks {@link Quotas#admit}, holding its in-flight slot until the call is closed or cancelled.
 * Refusals are decided from the metadata alone, before a message is requested, so they cost no
 * parse: UNAUTHENTICATED (none or unknown), INVALID_ARGUMENT (malformed), PERMISSION_DENIED (a JWT
 * without the required scope), RESOURCE_EXHAUSTED with a {@code retry-after} trailer in seconds.
 * The door intercepts only its inference service with it: health and reflection stay open, like
 * {@code /v2/health}.
 */
public final class GrpcAuthentication implements ServerInterceptor {

  /**
   * Where the door that runs this interceptor takes the call's caller (for its request log): a
   * consumer put in the call's {@link Context} by an outer interceptor, called once per call,
   * refused or not.
   */
  public static final Context.Key<Consumer<CallerIdentity>> CALLER =
      Context.key("classifier-grpc-caller");

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

  private final boolean enabled;
  private final Authenticator authenticator;
  private final Quotas quotas;
  private final CallerRequests requests;

  GrpcAuthentication(
      boolean enabled, Authenticator authenticator, Quotas quotas, CallerRequests requests) {
    this.enabled = enabled;
    this.authenticator = authenticator;
    this.quotas = quotas;
    this.requests = requests;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    CallerIdentity caller = CallerIdentity.ANONYMOUS;
    if (enabled) {
      Verdict verdict =
          authenticator.authenticate(headers.get(AUTHORIZATION), headers.get(API_KEY));
      if (verdict instanceof Verdict.Refused refused) {
        CallerIdentity known = refused.caller() != null ? refused.caller() : caller;
        record(known);
        return refuse(call, known, refused);
      }
      caller = ((Verdict.Allowed) verdict).caller();
      record(caller);
    }
    Quotas.Admission admission = quotas.admit(caller);
    if (admission instanceof Quotas.Exceeded exceeded) {
      requests.count(caller, Rejection.QUOTA_EXCEEDED.slug());
      Metadata trailers = new Metadata();
      long seconds = Math.max(1, (exceeded.retryAfter().toMillis() + 999) / 1000);
      trailers.put(RETRY_AFTER, Long.toString(seconds));
      return close(
          call,
          Status.RESOURCE_EXHAUSTED.withDescription(
              caller.logName() + " is over its quota: " + exceeded.detail()),
          trailers);
    }
    Quotas.Permit permit = (Quotas.Permit) admission;
    requests.count(caller, CallerRequests.ADMITTED);
    // The call's context is cancelled on the deadline timer or by the client at once, even while
    // the call's own executor is busy running its session call (onCancel waits for that).
    Context.current().addListener(cancelled -> permit.close(), Runnable::run);
    ServerCall<Q, A> releasing =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            try {
              super.close(status, trailers);
            } finally {
              permit.close();
            }
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(releasing, headers);
    } catch (RuntimeException | Error e) {
      permit.close();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          permit.close();
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          permit.close();
        }
      }
    };
  }

  private <Q, A> ServerCall.Listener<Q> refuse(
      ServerCall<Q, A> call, CallerIdentity caller, Verdict.Refused refused) {
    Rejection rejection =
        switch (refused.reason()) {
          case MISSING, INVALID -> Rejection.UNAUTHORIZED;
          case MALFORMED -> Rejection.MALFORMED_REQUEST;
          case INSUFFICIENT_SCOPE -> Rejection.FORBIDDEN;
        };
    Status status =
        switch (refused.reason()) {
          case MISSING, INVALID -> Status.UNAUTHENTICATED;
          case MALFORMED -> Status.INVALID_ARGUMENT;
          case INSUFFICIENT_SCOPE -> Status.PERMISSION_DENIED;
        };
    requests.count(caller, rejection.slug());
    return close(call, status.withDescription(refused.detail()), new Metadata());
  }

  /** Answers at once; no message is requested, so none is read or parsed. */
  private static <Q, A> ServerCall.Listener<Q> close(
      ServerCall<Q, A> call, Status status, Metadata trailers) {
    call.close(status, trailers);
    return new ServerCall.Listener<>() {};
  }

  private static void record(CallerIdentity caller) {
    Consumer<CallerIdentity> sink = CALLER.get();
    if (sink != null) {
      sink.accept(caller);
    }
  }
}
