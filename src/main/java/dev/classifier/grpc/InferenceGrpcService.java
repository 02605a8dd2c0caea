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
import dev.classifier.oip.InferRequest;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipStatus;
import dev.classifier.oip.ServerInfo;
import dev.classifier.oip.V2Call;
import dev.classifier.oip.V2Inference;
import dev.classifier.oip.V2Model;
import dev.classifier.oip.V2Models;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;

/**
 * {@code inference.GRPCInferenceService}: the Open Inference Protocol's RPCs over the shared V2
 * models. Liveness and readiness are the application's own (Spring's availability states, the same
 * ones /actuator/health reports). ModelInfer decodes and checks the request here and hands it to
 * the {@link V2Inference} seam; without one it answers UNIMPLEMENTED.
 */
final class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

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

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
    answer(
        response,
        () -> {
          V2Model model = models.find(request.getModelName(), request.getModelVersion());
          InferRequest decoded = decoder.decode(request);
          int batch = model.check(decoded);
          V2Inference core =
              inference.orElseThrow(
                  () ->
                      new OipException(
                          OipStatus.UNSUPPORTED,
                          "ModelInfer is not available in this build of the service"));
          return encoder.encode(core.infer(model, decoded, batch, call(decoded)));
        });
  }

  private boolean ready() {
    return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
  }

  private static V2Call call(InferRequest request) {
    Context context = Context.current();
    Deadline deadline = context.getDeadline();
    String requestId =
        RequestIdInterceptor.current()
            .or(() -> Optional.of(request.id()).filter(id -> !id.isEmpty()))
            .orElseGet(() -> UUID.randomUUID().toString());
    return new V2Call(
        "grpc",
        requestId,
        Optional.ofNullable(deadline)
            .map(d -> Instant.now().plusNanos(d.timeRemaining(TimeUnit.NANOSECONDS))),
        context::isCancelled);
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
