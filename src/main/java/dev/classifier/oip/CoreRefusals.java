package dev.classifier.oip;

import dev.classifier.core.InvalidRequestException;
import dev.classifier.image.ImageRejectedException;
import dev.classifier.image.MemoryBudgetExceededException;
import dev.classifier.inference.RejectedException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's failures in the protocol's terms, once for both V2 doors: each door then maps the
 * {@link OipStatus} to its own status (an HTTP code in {@code V2Error}, a gRPC code in {@code
 * GrpcStatuses}). Switches over the core's reasons, so a new reason does not compile until it has a
 * protocol status. The service's own faults are logged here and answered without internals.
 */
public final class CoreRefusals {

  private static final Logger log = LoggerFactory.getLogger(CoreRefusals.class);

  private CoreRefusals() {}

  public static OipException of(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof OipException oip) {
      return oip;
    }
    if (cause instanceof InvalidRequestException invalid) {
      return OipException.invalid(invalid.getMessage());
    }
    if (cause instanceof ImageRejectedException image) {
      return switch (image.reason()) {
        case UNSUPPORTED_FORMAT, CORRUPT -> OipException.invalid(image.getMessage());
        case TOO_MANY_PIXELS -> OipException.tooLarge(image.getMessage());
      };
    }
    if (cause instanceof RejectedException rejected) {
      OipStatus status =
          switch (rejected.reason()) {
            case QUEUE_FULL -> OipStatus.OVERLOADED;
            case DEADLINE_EXCEEDED -> OipStatus.DEADLINE_EXCEEDED;
            case NOT_READY, SHUTTING_DOWN -> OipStatus.UNAVAILABLE;
            case CLIENT_GONE -> OipStatus.CANCELLED;
          };
      return new OipException(status, rejected.getMessage());
    }
    if (cause instanceof MemoryBudgetExceededException budget) {
      return new OipException(OipStatus.UNAVAILABLE, budget.getMessage());
    }
    log.error("V2 inference failed", cause);
    return new OipException(OipStatus.INTERNAL, "inference failed; see the service log");
  }
}
