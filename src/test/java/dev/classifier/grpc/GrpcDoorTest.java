package dev.classifier.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.classifier.grpc.proto.GRPCInferenceServiceGrpc;
import dev.classifier.grpc.proto.ModelConfigRequest;
import dev.classifier.grpc.proto.ModelConfigResponse;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.grpc.proto.ModelInferResponse;
import dev.classifier.grpc.proto.ModelMetadataRequest;
import dev.classifier.grpc.proto.ModelMetadataResponse;
import dev.classifier.grpc.proto.ModelReadyRequest;
import dev.classifier.grpc.proto.ServerLiveRequest;
import dev.classifier.grpc.proto.ServerMetadataRequest;
import dev.classifier.grpc.proto.ServerMetadataResponse;
import dev.classifier.grpc.proto.ServerReadyRequest;
import dev.classifier.inference.ThreadBudget;
import dev.classifier.testing.TestGate;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.awt.Color;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The gRPC door on a live service, with a Java client built from the project's proto: every RPC,
 * the standard health service, a deadline and a cancellation that cost no inference, and hostile
 * requests answered with a client error status, never an internal one.
 */
class GrpcDoorTest extends TinyModelServer {

  @Autowired GrpcServer server;
  @Autowired MeterRegistry registry;
  @Autowired ThreadBudget threads;

  private ManagedChannel channel;
  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc;

  private static final byte[] IMAGE = TestImages.solid(32, 24, new Color(90, 0, 255), "png");

  @BeforeEach
  void connect() {
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext()
            .maxInboundMessageSize(4 * MAX_UPLOAD)
            .build();
    grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stillServing() throws InterruptedException {
    assertThat(grpc.modelInfer(image(IMAGE).build()).getRawOutputContentsCount())
        .as("the door keeps answering after the test's requests")
        .isEqualTo(1);
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void everyRpcAnswers() {
    assertThat(grpc.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(
            grpc.modelReady(ModelReadyRequest.newBuilder().setName("xception").build()).getReady())
        .isTrue();
    ServerMetadataResponse metadata =
        grpc.serverMetadata(ServerMetadataRequest.getDefaultInstance());
    assertThat(metadata.getName()).isEqualTo("xception-classifier");
    assertThat(metadata.getExtensionsList())
        .containsExactly("binary_tensor_data", "classification", "model_configuration");
    ModelMetadataResponse model =
        grpc.modelMetadata(ModelMetadataRequest.newBuilder().setName("xception").build());
    assertThat(model.getPlatform()).isEqualTo("onnx_onnxv1");
    assertThat(model.getVersionsList()).containsExactly("1");
    assertThat(model.getInputs(0).getName()).isEqualTo("input_1");
    assertThat(model.getInputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(model.getInputs(0).getShapeList()).containsExactly(-1L, 16L, 16L, 3L);
    assertThat(model.getOutputs(0).getShapeList()).containsExactly(-1L, 1000L);
    ModelConfigResponse config =
        grpc.modelConfig(ModelConfigRequest.newBuilder().setName("xception-image").build());
    assertThat(config.getConfig().getMaxBatchSize()).isEqualTo(4);
    assertThat(config.getConfig().getInput(0).getName()).isEqualTo("image");
    ModelInferResponse answer = grpc.modelInfer(image(IMAGE).setId("grpc-7").build());
    assertThat(answer.getModelName()).isEqualTo("xception-image");
    assertThat(answer.getModelVersion()).isEqualTo("1");
    assertThat(answer.getId()).isEqualTo("grpc-7");
    assertThat(answer.getRawOutputContents(0).size()).isEqualTo(4000);
    assertThat(
            HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    Timer calls =
        registry.find("classifier.grpc.server.calls").tag("method", "ModelConfig").timer();
    assertThat(calls).isNotNull();
    assertThat(calls.getId().getTag("code")).isEqualTo("OK");
  }

  @Test
  void aDeadlinePassedInTheQueueCostsNoInference() throws Exception {
    double imagesBefore = batchImages();
    List<TestGate.Held> held = new ArrayList<>();
    List<CompletableFuture<ModelInferResponse>> kept = holdEveryWorker(held);
    int executions;
    try {
      executions = gate.executions();
      long ended = calls("DEADLINE_EXCEEDED", "CANCELLED");
      long start = System.nanoTime();

      assertThatThrownBy(
              () ->
                  grpc.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                      .modelInfer(image(IMAGE).build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      awaitOneMore(ended, "DEADLINE_EXCEEDED", "CANCELLED");
      assertThat((System.nanoTime() - start) / 1e9)
          .as("the server gave up at the call's deadline, not the 2 s request timeout")
          .isLessThan(1.5);
    } finally {
      held.forEach(TestGate.Held::release);
    }

    for (CompletableFuture<ModelInferResponse> answer : kept) {
      assertThat(answer.get(10, TimeUnit.SECONDS).getRawOutputContents(0).size()).isEqualTo(4000);
    }
    assertThat(gate.executions() - executions).as("session calls").isEqualTo(kept.size());
    assertThat(batchImages() - imagesBefore).as("images run").isEqualTo(kept.size());
  }

  @Test
  void aCancelledCallCostsNoInference() throws Exception {
    double imagesBefore = batchImages();
    List<TestGate.Held> held = new ArrayList<>();
    List<CompletableFuture<ModelInferResponse>> kept = holdEveryWorker(held);
    int executions;
    try {
      executions = gate.executions();
      long ended = calls("CANCELLED");
      ListenableFuture<ModelInferResponse> cancelled =
          GRPCInferenceServiceGrpc.newFutureStub(channel).modelInfer(image(IMAGE).build());
      Thread.sleep(300);
      cancelled.cancel(true);
      awaitOneMore(ended, "CANCELLED");
    } finally {
      held.forEach(TestGate.Held::release);
    }

    for (CompletableFuture<ModelInferResponse> answer : kept) {
      assertThat(answer.get(10, TimeUnit.SECONDS).getRawOutputContents(0).size()).isEqualTo(4000);
    }
    assertThat(gate.executions() - executions).as("session calls").isEqualTo(kept.size());
    assertThat(batchImages() - imagesBefore).as("images run").isEqualTo(kept.size());
  }

  /**
   * Holds every inference worker at the gate, each with one call's image, so the next call waits in
   * the queue.
   */
  private List<CompletableFuture<ModelInferResponse>> holdEveryWorker(List<TestGate.Held> held) {
    List<CompletableFuture<ModelInferResponse>> kept = new ArrayList<>();
    for (int i = 0; i < threads.workers(); i++) {
      TestGate.Held worker = gate.holdNextBatch();
      kept.add(CompletableFuture.supplyAsync(() -> grpc.modelInfer(image(IMAGE).build())));
      worker.awaitHeld();
      held.add(worker);
    }
    return kept;
  }

  @Test
  void hostileRequestsAreClientErrors() {
    assertCode(
        image(new byte[MAX_UPLOAD + 1]).build(),
        Status.Code.RESOURCE_EXHAUSTED,
        "gRPC message exceeds maximum size 1048576");
    ModelInferRequest.Builder thousand =
        ModelInferRequest.newBuilder().setModelName("xception-image");
    for (int i = 0; i < 1000; i++) {
      thousand.addInputs(
          ModelInferRequest.InferInputTensor.newBuilder()
              .setName("image" + i)
              .setDatatype("BYTES")
              .addShape(1)
              .addShape(1));
    }
    assertCode(thousand.build(), Status.Code.INVALID_ARGUMENT, "");
    assertCode(
        image(IMAGE).setModelName("resnet").build(),
        Status.Code.NOT_FOUND,
        "unknown model 'resnet'");
    assertCode(
        image(IMAGE).setModelVersion("2").build(),
        Status.Code.NOT_FOUND,
        "model 'xception-image' has no version '2'");
    ModelInferRequest.Builder wrongType = image(IMAGE);
    wrongType.getInputsBuilder(0).setDatatype("FP32");
    assertCode(wrongType.build(), Status.Code.INVALID_ARGUMENT, "");
    ModelInferRequest.Builder wrongShape = image(IMAGE);
    wrongShape.getInputsBuilder(0).clearShape().addShape(1).addShape(2);
    assertCode(wrongShape.build(), Status.Code.INVALID_ARGUMENT, "");
    assertCode(
        image("not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).build(),
        Status.Code.INVALID_ARGUMENT,
        "");
    ModelInferRequest.Builder shortPrefix =
        ModelInferRequest.newBuilder(image(IMAGE).build()).clearRawInputContents();
    shortPrefix.addRawInputContents(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x7f, 0, 0, 1}));
    assertCode(shortPrefix.build(), Status.Code.INVALID_ARGUMENT, "");
  }

  private void assertCode(ModelInferRequest request, Status.Code code, String message) {
    assertThatThrownBy(() -> grpc.modelInfer(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }

  /** The image model's request with one image as raw contents (4-byte length, then the file). */
  static ModelInferRequest.Builder image(byte[] file) {
    ByteBuffer raw = ByteBuffer.allocate(4 + file.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.putInt(file.length).put(file);
    return ModelInferRequest.newBuilder()
        .setModelName("xception-image")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image")
                .setDatatype("BYTES")
                .addShape(1)
                .addShape(1))
        .addRawInputContents(ByteString.copyFrom(raw.array()));
  }

  private double batchImages() {
    DistributionSummary sizes = registry.find("classifier.batch.size").summary();
    return sizes == null ? 0 : sizes.totalAmount();
  }

  /** ModelInfer calls the server has closed with one of the codes so far. */
  private long calls(String... codes) {
    long count = 0;
    for (String code : codes) {
      Timer timer =
          registry
              .find("classifier.grpc.server.calls")
              .tags("method", "ModelInfer", "code", code)
              .timer();
      count += timer == null ? 0 : timer.count();
    }
    return count;
  }

  /** Waits until the server has closed one more ModelInfer call with one of the codes. */
  private void awaitOneMore(long before, String... codes) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (calls(codes) == before && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(calls(codes))
        .as("calls closed with " + String.join(" or ", codes))
        .isEqualTo(before + 1);
  }
}
