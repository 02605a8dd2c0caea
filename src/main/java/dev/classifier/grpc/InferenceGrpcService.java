package dev.classifier.grpc;

import dev.classifier.grpc.proto.GRPCInferenceServiceGrpc;
import dev.classifier.grpc.proto.ModelConfigRequest;
import dev.classifier.grpc.proto.ModelConfigResponse;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.grpc.proto.ModelInferResponse;
import dev.classifier.grpc.proto.ModelMetadataRequest;
import dev.classifier.grpc.proto.ModelMetadataResponse;
import dev.classifier.grpc.proto.ModelReadyRequest;
import dev.classifier.grpc.proto.ModelReadyResponse;
import dev.classifier.grpc.proto.ServerLiveRequest;
import dev.classifier.grpc.proto.ServerLiveResponse;
import dev.classifier.grpc.proto.ServerMetadataRequest;
import dev.classifier.grpc.proto.ServerMetadataResponse;
import dev.classifier.grpc.proto.ServerReadyRequest;
import dev.classifier.grpc.proto.ServerReadyResponse;
import dev.classifier.oip.CoreRefusals;
import dev.classifier.oip.InferRequest;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipStatus;
import dev.classifier.oip.ServerInfo;
import dev.classifier.oip.V2Inference;
import dev.classifier.oip.V2Model;
import dev.classifier.oip.V2Models;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;

/**
 * {@code inference.GRPCInferenceService}: the Open Inference Protocol's RPCs over the shared V2
 * models. Liveness and readiness are the application's own (Spring's availability states, the same
 * ones /actuator/health reports). ModelInfer decodes and checks the request here and hands it to
 * the {@link V2Inference} seam with a {@link GrpcClient} (the call's deadline and cancellation);
 * without a seam it answers UNIMPLEMENTED.
 */
final class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase
    implements ReservedMessages.Handler {

  private final V2Models models;
  private final ApplicationAvailability availability;
  private final ServerInfo info;
  private final GrpcRequestDecoder decoder;
  private final GrpcResponseEncoder encoder = new GrpcResponseEncoder();
  private final Optional<V2Inference> inference;

  InferenceGrpcService(
      V2Models models,
      ApplicationAvailability availability,
      ServerInfo info,
      GrpcRequestDecoder decoder,
      Optional<V2Inference> inference) {
    this.models = models;
    this.availability = availability;
    this.info = info;
    this.decoder = decoder;
    this.inference = inference;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> response) {
    answer(
        response,
        () ->
            ServerLiveResponse.newBuilder()
                .setLive(availability.getLivenessState() == LivenessState.CORRECT)
                .build());
  }

  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> response) {
    answer(response, () -> ServerReadyResponse.newBuilder().setReady(ready()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
    answer(
        response,
        () -> {
          models.find(request.getName(), request.getVersion());
          return ModelReadyResponse.newBuilder().setReady(ready()).build();
        });
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> response) {
    answer(response, () -> GrpcMetadata.server(info));
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> response) {
    answer(
        response, () -> GrpcMetadata.model(models.find(request.getName(), request.getVersion())));
  }

  @Override
  public void modelConfig(
      ModelConfigRequest request, StreamObserver<ModelConfigResponse> response) {
    answer(
        response,
        () ->
            ModelConfigResponse.newBuilder()
                .setConfig(
                    GrpcMetadata.config(models.find(request.getName(), request.getVersion())))
                .build());
  }

  /** Without a reservation: for a service bound without {@link ReservedMessages}. */
  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
    modelInfer(new ReservedMessages.Reserved(request, null, null), response);
  }

  /**
   * Decodes and checks the request, then runs it through the core without holding this thread; the
   * message's memory reservation goes back when its images are decoded or the call fails.
   */
  @Override
  public void modelInfer(
      ReservedMessages.Reserved reserved, StreamObserver<ModelInferResponse> response) {
    GrpcCall call = GrpcCall.current();
    long received = System.nanoTime();
    CompletableFuture<ModelInferResponse> answer;
    try {
      if (reserved.refused() != null) {
        throw CoreRefusals.of(reserved.refused());
      }
      ModelInferRequest request = reserved.message();
      V2Model model = models.find(request.getModelName(), request.getModelVersion());
      InferRequest decoded = decoder.decode(request);
      call.requestIdIfNone(decoded.id().isEmpty() ? UUID.randomUUID().toString() : decoded.id());
      int batch = model.check(decoded);
      V2Inference core =
          inference.orElseThrow(
              () ->
                  new OipException(
                      OipStatus.UNSUPPORTED,
                      "ModelInfer is not available in this build of the service"));
      answer =
          core.infer(
                  model,
                  decoded,
                  batch,
                  new GrpcClient(Context.current(), call, received, reserved))
              .thenApply(encoder::encode);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (message, failure) -> {
          reserved.release();
          if (failure != null) {
            OipException refusal = CoreRefusals.of(failure);
            call.refused(refusal.status());
            send(response, null, GrpcStatuses.of(refusal));
          } else {
            send(response, message, null);
          }
        });
  }

  /** Answers a call that may have been cancelled meanwhile: then nobody is listening. */
  private static <T> void send(StreamObserver<T> response, T message, Status failure) {
    try {
      if (failure != null) {
        response.onError(failure.asRuntimeException());
      } else {
        response.onNext(message);
        response.onCompleted();
      }
    } catch (StatusRuntimeException | IllegalStateException cancelled) {
      // the call was cancelled or closed: its close has been observed already
    }
  }

  private boolean ready() {
    return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
  }

  /** Answers with the value, or with the status an {@link OipException} maps to. */
  private static <T> void answer(StreamObserver<T> response, Supplier<T> value) {
    T message;
    try {
      message = value.get();
    } catch (OipException e) {
      response.onError(GrpcStatuses.of(e).asRuntimeException());
      return;
    }
    response.onNext(message);
    response.onCompleted();
  }
}
