package dev.classifier.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;

/**
 * Carries a call's {@code x-request-id} metadata (the same header the HTTP doors read) into the
 * call's context, where the service takes it as the request id. Longer values are cut to {@link
 * #MAX_LENGTH} characters, printable ASCII only, as they end up in logs.
 */
final class RequestIdInterceptor implements ServerInterceptor {

  static final int MAX_LENGTH = 128;

  private static final Metadata.Key<String> HEADER =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> REQUEST_ID = Context.key("x-request-id");

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String id = headers.get(HEADER);
    if (id == null || id.isBlank()) {
      return next.startCall(call, headers);
    }
    String clean =
        id.chars()
            .limit(MAX_LENGTH)
            .filter(c -> c > 0x20 && c < 0x7f)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return Contexts.interceptCall(
        Context.current().withValue(REQUEST_ID, clean), call, headers, next);
  }

  /** The current call's request id, when its client sent one. */
  static Optional<String> current() {
    return Optional.ofNullable(REQUEST_ID.get()).filter(id -> !id.isEmpty());
  }
}
