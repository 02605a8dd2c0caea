package dev.classifier.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import dev.classifier.grpc.GrpcServer;
import dev.classifier.grpc.proto.GRPCInferenceServiceGrpc;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.grpc.proto.ModelMetadataRequest;
import dev.classifier.testing.TestGate;
import dev.classifier.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.awt.Color;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The gRPC door with authentication on, through a client built from the project's proto: the same
 * keys, JWTs and quotas as the HTTP doors, answered with gRPC status codes before the message is
 * read; the health service answers anyone.
 */
@ExtendWith(OutputCaptureExtension.class)
class GrpcAuthenticationTest extends SecuredServer {

  private static final byte[] PNG = TestImages.solid(8, 8, Color.BLUE, "png");

  @Autowired GrpcServer server;
  @Autowired MeterRegistry registry;

  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void withoutCredentialsInferenceAndMetadataAreUnauthenticated() {
    var grpc = stub(Map.of());
    assertThat(codeOf(() -> grpc.modelInfer(image()))).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(codeOf(() -> grpc.modelMetadata(metadata()))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void anUnknownKeyIsUnauthenticatedAndAMalformedOneAnInvalidArgument() {
    assertThat(
            codeOf(
                () ->
                    stub(Map.of("authorization", "Bearer not-a-key-" + System.nanoTime()))
                        .modelMetadata(metadata())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(codeOf(() -> stub(Map.of("x-api-key", "nope")).modelMetadata(metadata())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            codeOf(
                () ->
                    stub(Map.of("authorization", "Basic YWxpY2U6c2VjcmV0"))
                        .modelMetadata(metadata())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void goodKeysAndAGoodJwtAreServedAndTheCallerIsLoggedAndCounted(CapturedOutput output) {
    double aliceBefore = admitted("alice");
    var alice = stub(Map.of("authorization", "Bearer " + KEYS.get("alice")));
    assertThat(alice.modelInfer(image()).getRawOutputContentsCount()).isEqualTo(1);
    assertThat(alice.modelMetadata(metadata()).getName()).isEqualTo("xception");
    assertThat(admitted("alice") - aliceBefore).isEqualTo(2.0);

    var bob = stub(Map.of("x-api-key", KEYS.get("bob"), "x-request-id", "grpc-auth-bob"));
    assertThat(bob.modelMetadata(metadata()).getName()).isEqualTo("xception");
    var carol = stub(Map.of("authorization", "Bearer " + IDP.good("carol@example.org")));
    assertThat(carol.modelInfer(image()).getRawOutputContentsCount()).isEqualTo(1);

    String logged = "request requestId=grpc-auth-bob ";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!output.getOut().contains(logged) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(output.getOut().lines().filter(line -> line.contains(logged)))
        .singleElement()
        .asString()
        .contains("status=OK caller=key:bob");
  }

  @Test
  void aJwtWithoutTheScopeIsDeniedAndLoggedWithItsSubject(CapturedOutput output) {
    var grpc =
        stub(
            Map.of(
                "authorization",
                "Bearer " + IDP.withoutScope(),
                "x-request-id",
                "grpc-auth-unscoped"));
    assertThat(codeOf(() -> grpc.modelInfer(image()))).isEqualTo(Status.Code.PERMISSION_DENIED);
    String logged = "request requestId=grpc-auth-unscoped ";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!output.getOut().contains(logged) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(output.getOut().lines().filter(line -> line.contains(logged)))
        .singleElement()
        .asString()
        .contains("status=PERMISSION_DENIED caller=jwt:");
  }

  @Test
  void healthAnswersWithoutCredentials() {
    assertThat(
            HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  /** Key {@code greedy} may send 5 a second: the 6th within one second is refused. */
  @Test
  void overItsQuotaACallerIsExhaustedAndToldWhenToRetry() throws InterruptedException {
    awaitFreshQuotaSecond();
    var greedy = stub(Map.of("authorization", "Bearer " + KEYS.get("greedy")));
    List<StatusRuntimeException> refused = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      try {
        greedy.modelMetadata(metadata());
      } catch (StatusRuntimeException e) {
        refused.add(e);
      }
    }
    assertThat(refused).isNotEmpty();
    StatusRuntimeException first = refused.get(0);
    assertThat(first.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(first.getStatus().getDescription())
        .isEqualTo("key:greedy is over its quota: more than 5 requests per second");
    assertThat(first.getTrailers().get(GrpcAuthentication.RETRY_AFTER)).isEqualTo("1");
    assertThat(
            registry
                .get("classifier.caller.requests")
                .tag("caller", "greedy")
                .tag("outcome", "quota-exceeded")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(refused.size());
  }

  /**
   * Key {@code greedy} may have 2 calls in flight: two calls whose deadlines pass while inference
   * is held give their slots back when they are cancelled, not when the held work ends.
   */
  @Test
  void cancelledCallsGiveTheirInFlightSlotsBack() throws Exception {
    awaitFreshQuotaSecond();
    var greedy = stub(Map.of("authorization", "Bearer " + KEYS.get("greedy")));
    List<TestGate.Held> held = new ArrayList<>();
    List<CompletableFuture<Status.Code>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        TestGate.Held worker = gate.holdNextBatch();
        calls.add(
            CompletableFuture.supplyAsync(
                () ->
                    codeOf(
                        () -> greedy.withDeadlineAfter(1, TimeUnit.SECONDS).modelInfer(image()))));
        worker.awaitHeld();
        held.add(worker);
      }
      for (CompletableFuture<Status.Code> call : calls) {
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      }
      Thread.sleep(300);
      assertThat(greedy.modelMetadata(metadata()).getName())
          .as("served while the cancelled calls' work is still held")
          .isEqualTo("xception");
    } finally {
      held.forEach(TestGate.Held::release);
    }
  }

  /** Waits out the previous second's greedy calls (other tests share the key's quota). */
  private static void awaitFreshQuotaSecond() throws InterruptedException {
    Thread.sleep(1100);
  }

  private double admitted(String caller) {
    Counter counter =
        registry
            .find("classifier.caller.requests")
            .tag("caller", caller)
            .tag("outcome", "admitted")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(
      Map<String, String> headers) {
    Metadata metadata = new Metadata();
    headers.forEach(
        (name, value) ->
            metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static Status.Code codeOf(Runnable call) {
    StatusRuntimeException refused = (StatusRuntimeException) catchThrowable(call::run);
    assertThat(refused).isNotNull();
    return refused.getStatus().getCode();
  }

  private static ModelMetadataRequest metadata() {
    return ModelMetadataRequest.newBuilder().setName("xception").build();
  }

  private static ModelInferRequest image() {
    ByteBuffer raw = ByteBuffer.allocate(4 + PNG.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.putInt(PNG.length).put(PNG);
    return ModelInferRequest.newBuilder()
        .setModelName("xception-image")
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image")
                .setDatatype("BYTES")
                .addShape(1)
                .addShape(1))
        .addRawInputContents(ByteString.copyFrom(raw.array()))
        .build();
  }
}
