package dev.classifier.grpc;

import dev.classifier.oip.OipException;
import io.grpc.Status;
import java.util.Locale;

/**
 * The gRPC door's one mapping of failures: each of the protocol's failures ({@link
 * dev.classifier.oip.OipStatus}, which the core's exceptions become in {@link
 * dev.classifier.oip.CoreRefusals}) as a gRPC status with the same message the REST door sends, and
 * gRPC's own codes as the metrics and the request log name them.
 */
final class GrpcStatuses {

  private GrpcStatuses() {}

  static Status of(OipException e) {
    Status status =
        switch (e.status()) {
          case INVALID -> Status.INVALID_ARGUMENT;
          case NOT_FOUND -> Status.NOT_FOUND;
          case TOO_LARGE, OVERLOADED -> Status.RESOURCE_EXHAUSTED;
          case UNSUPPORTED -> Status.UNIMPLEMENTED;
          case UNAVAILABLE -> Status.UNAVAILABLE;
          case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
          case CANCELLED -> Status.CANCELLED;
          case INTERNAL -> Status.INTERNAL;
        };
    return status.withDescription(e.getMessage());
  }

  /**
   * The HTTP status a call that gRPC itself ended (a message over the size limit, a deadline, a
   * cancellation) would have had over the REST door, for the classification counters' {@code
   * outcome}.
   */
  static int httpEquivalent(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case RESOURCE_EXHAUSTED -> 413;
      case CANCELLED -> 499;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> 503;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
    };
  }

  /** A code as a slug: {@code DEADLINE_EXCEEDED} → {@code deadline-exceeded}. */
  static String slug(Status.Code code) {
    return code.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
