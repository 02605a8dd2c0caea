package dev.classifier.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.classifier.grpc.proto.DataType;
import dev.classifier.grpc.proto.GRPCInferenceServiceGrpc;
import dev.classifier.grpc.proto.ModelConfig;
import dev.classifier.grpc.proto.ModelConfigRequest;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.grpc.proto.ModelInput;
import dev.classifier.grpc.proto.ModelMetadataRequest;
import dev.classifier.grpc.proto.ModelMetadataResponse;
import dev.classifier.grpc.proto.ModelReadyRequest;
import dev.classifier.grpc.proto.ServerLiveRequest;
import dev.classifier.grpc.proto.ServerMetadataRequest;
import dev.classifier.grpc.proto.ServerMetadataResponse;
import dev.classifier.grpc.proto.ServerReadyRequest;
import dev.classifier.oip.ServerInfo;
import dev.classifier.oip.TestV2Models;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;

/**
 * The gRPC door on a real Netty server and a real client built from the project's proto, every RPC
 * but inference answered in full, health following the application's readiness. The tensor model is
 * {@link TestV2Models} ([-1,2,2,3] NHWC, 3 classes, batches of 4, 1 MiB messages).
 */
class GrpcServiceTest {

  private final ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
  private final HealthStatusManager health = new HealthStatusManager();
  private GrpcServer server;
  private ManagedChannel channel;
  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

  @BeforeEach
  void start() {
    publish(LivenessState.CORRECT);
    publish(ReadinessState.REFUSING_TRAFFIC);
    server =
        new GrpcServer(
            new InetSocketAddress("127.0.0.1", 0),
            1 << 20,
            new InferenceGrpcService(
                    TestV2Models.MODELS,
                    availability,
                    ServerInfo.of("9.9.9"),
                    new GrpcRequestDecoder(TestV2Models.LIMITS),
                    Optional.empty())
                .bindService(),
            health,
            Duration.ofSeconds(5));
    server.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    stub =
        GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop();
  }

  private void publish(AvailabilityState state) {
    AvailabilityChangeEvent<AvailabilityState> event = new AvailabilityChangeEvent<>(this, state);
    availability.onApplicationEvent(event);
    new GrpcConfiguration().grpcHealthFollowsReadiness(health).onApplicationEvent(event);
  }

  private static Status.Code code(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
    return Status.Code.OK;
  }

  @Test
  void liveAndReadyFollowTheApplicationsAvailability() {
    HealthGrpc.HealthBlockingStub probe = HealthGrpc.newBlockingStub(channel);
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
    assertThat(
            stub.modelReady(ModelReadyRequest.newBuilder().setName("xception").build()).getReady())
        .isFalse();
    assertThat(probe.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.NOT_SERVING);

    publish(ReadinessState.ACCEPTING_TRAFFIC);

    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(
            stub.modelReady(
                    ModelReadyRequest.newBuilder()
                        .setName("xception-image")
                        .setVersion("1")
                        .build())
                .getReady())
        .isTrue();
    assertThat(probe.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            probe
                .check(
                    HealthCheckRequest.newBuilder()
                        .setService("inference.GRPCInferenceService")
                        .build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void serverMetadataNamesTheExtensions() {
    ServerMetadataResponse metadata =
        stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());

    assertThat(metadata.getName()).isEqualTo("xception-classifier");
    assertThat(metadata.getVersion()).isEqualTo("9.9.9");
    assertThat(metadata.getExtensionsList())
        .containsExactly("binary_tensor_data", "classification", "model_configuration");
  }

  @Test
  void modelMetadataHasOneInputAndOneOutputWithABatchDimensionOfMinusOne() {
    ModelMetadataResponse tensor =
        stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("xception").build());
    assertThat(tensor.getName()).isEqualTo("xception");
    assertThat(tensor.getVersionsList()).containsExactly("1");
    assertThat(tensor.getPlatform()).isEqualTo("onnx_onnxv1");
    assertThat(tensor.getInputsList()).hasSize(1);
    assertThat(tensor.getInputs(0).getName()).isEqualTo("input_1");
    assertThat(tensor.getInputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(tensor.getInputs(0).getShapeList()).containsExactly(-1L, 2L, 2L, 3L);
    assertThat(tensor.getOutputsList()).hasSize(1);
    assertThat(tensor.getOutputs(0).getName()).isEqualTo("predictions");
    assertThat(tensor.getOutputs(0).getShapeList()).containsExactly(-1L, 3L);

    ModelMetadataResponse image =
        stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("xception-image").build());
    assertThat(image.getInputs(0).getName()).isEqualTo("image");
    assertThat(image.getInputs(0).getDatatype()).isEqualTo("BYTES");
    assertThat(image.getInputs(0).getShapeList()).containsExactly(-1L, 1L);
  }

  @Test
  void modelConfigIsTritonsWithoutTheBatchDimension() {
    ModelConfig config =
        stub.modelConfig(ModelConfigRequest.newBuilder().setName("xception").build()).getConfig();

    assertThat(config.getName()).isEqualTo("xception");
    assertThat(config.getPlatform()).isEqualTo("onnx_onnxv1");
    assertThat(config.getMaxBatchSize()).isEqualTo(4);
    assertThat(config.getInput(0).getName()).isEqualTo("input_1");
    assertThat(config.getInput(0).getDataType()).isEqualTo(DataType.TYPE_FP32);
    assertThat(config.getInput(0).getFormat()).isEqualTo(ModelInput.Format.FORMAT_NHWC);
    assertThat(config.getInput(0).getDimsList()).containsExactly(2L, 2L, 3L);
    assertThat(config.getOutput(0).getDimsList()).containsExactly(3L);
    assertThat(config.getOutput(0).getLabelFilename()).isEqualTo("labels.tsv");

    ModelConfig image =
        stub.modelConfig(ModelConfigRequest.newBuilder().setName("xception-image").build())
            .getConfig();
    assertThat(image.getInput(0).getDataType()).isEqualTo(DataType.TYPE_STRING);
    assertThat(image.getInput(0).getFormat()).isEqualTo(ModelInput.Format.FORMAT_NONE);
    assertThat(image.getInput(0).getDimsList()).containsExactly(1L);
  }

  @Test
  void unknownModelOrVersionIsNotFound() {
    assertThatThrownBy(
            () -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("resnet").build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessage(
            "NOT_FOUND: unknown model 'resnet'; this service has [xception, xception-image]");
    assertThat(
            code(
                () ->
                    stub.modelConfig(
                        ModelConfigRequest.newBuilder()
                            .setName("xception")
                            .setVersion("2")
                            .build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(() -> stub.modelReady(ModelReadyRequest.newBuilder().setName("x").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void modelInferChecksTheRequestThenAnswersUnimplementedUntilTheCoreIsWired() {
    ModelInferRequest.InferInputTensor image =
        ModelInferRequest.InferInputTensor.newBuilder()
            .setName("image")
            .setDatatype("BYTES")
            .addShape(1)
            .addShape(1)
            .build();
    assertThat(
            code(
                () ->
                    stub.modelInfer(
                        ModelInferRequest.newBuilder()
                            .setModelName("xception-image")
                            .addInputs(image)
                            .addRawInputContents(ByteString.copyFrom(new byte[] {9, 0, 0, 0}))
                            .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThatThrownBy(
            () ->
                stub.modelInfer(
                    ModelInferRequest.newBuilder()
                        .setModelName("xception-image")
                        .addInputs(image)
                        .addRawInputContents(ByteString.copyFrom(new byte[] {1, 0, 0, 0, 7}))
                        .build()))
        .hasMessage("UNIMPLEMENTED: ModelInfer is not available in this build of the service");
  }

  @Test
  void messagesOverTheUploadLimitAreResourceExhausted() {
    ModelInferRequest large =
        ModelInferRequest.newBuilder()
            .setModelName("xception-image")
            .addRawInputContents(ByteString.copyFrom(new byte[(1 << 20) + 1]))
            .build();

    assertThat(code(() -> stub.modelInfer(large))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }
}
