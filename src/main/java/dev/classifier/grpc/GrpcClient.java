package dev.classifier.grpc;

import dev.classifier.core.Classification;
import dev.classifier.core.Client;
import io.grpc.Context;
import io.grpc.Deadline;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC call's client as the core sees it: its deadline is the call's (when shorter than the
 * service's request timeout the core keeps it), it is gone once the call is cancelled (the client
 * cancelled, its deadline passed, or the connection dropped), and its message's memory goes back
 * once its images are decoded.
 */
final class GrpcClient implements Client {

  private final Context context;
  private final GrpcCall call;
  private final long receivedNanos;
  private final OptionalLong deadlineNanos;
  private final ReservedMessages.Reserved message;

  GrpcClient(
      Context context, GrpcCall call, long receivedNanos, ReservedMessages.Reserved message) {
    this.context = context;
    this.call = call;
    this.receivedNanos = receivedNanos;
    this.message = message;
    Deadline deadline = context.getDeadline();
    this.deadlineNanos =
        deadline == null
            ? OptionalLong.empty()
            : OptionalLong.of(System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS));
  }

  @Override
  public long arrivedNanos() {
    return call.startNanos();
  }

  @Override
  public long receivedNanos() {
    return receivedNanos;
  }

  @Override
  public OptionalLong deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public boolean gone() {
    return context.isCancelled();
  }

  @Override
  public void release() {
    message.release();
  }

  @Override
  public void images(List<Integer> bytes) {
    call.images(bytes);
  }

  @Override
  public void timings(List<Classification.Timings> perImage) {
    call.timings(perImage);
  }
}
