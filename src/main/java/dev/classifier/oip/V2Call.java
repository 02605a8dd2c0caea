package dev.classifier.oip;

import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a door knows about one inference call besides its tensors.
 *
 * @param protocol {@code rest-v2} or {@code grpc}, for metrics and the request log
 * @param requestId the {@code x-request-id} (header or gRPC metadata), else the request's {@code
 *     id}, else one the door made up
 * @param deadline when the client stops waiting (a gRPC deadline), if it said
 * @param cancelled true once the client has gone: work not yet started should not start
 */
public record V2Call(
    String protocol, String requestId, Optional<Instant> deadline, BooleanSupplier cancelled) {}
