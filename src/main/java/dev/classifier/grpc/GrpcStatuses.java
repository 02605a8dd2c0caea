package dev.classifier.grpc;

import dev.classifier.oip.OipException;
import io.grpc.Status;

/**
 * The gRPC status for each of the protocol's failures, with the same message the REST door sends.
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
          case INTERNAL -> Status.INTERNAL;
        };
    return status.withDescription(e.getMessage());
  }
}
