package dev.classifier.grpc;

import dev.classifier.grpc.proto.GRPCInferenceServiceGrpc;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.grpc.proto.ModelInferResponse;
import dev.classifier.image.MemoryBudget;
import dev.classifier.image.MemoryBudgetExceededException;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * ModelInfer's messages reserve their memory from the service's {@link MemoryBudget} (the one HTTP
 * bodies and decodes draw on) before protobuf parses them: twice the message, for the parsed
 * message and the tensors decoded from it. gRPC has already bounded the message by {@code
 * classifier.max-upload-size}; a message the budget cannot hold is never parsed and the call is
 * answered UNAVAILABLE, as an HTTP body would be 503. The reservation goes back once the request's
 * images are decoded, at the latest when the call ends.
 */
final class ReservedMessages {

  /** A parsed request and the memory it holds, or the refusal when the budget was full. */
  record Reserved(
      ModelInferRequest message,
      MemoryBudget.Reservation reservation,
      MemoryBudgetExceededException refused) {

    /** Gives the memory back; idempotent. */
    void release() {
      if (reservation != null) {
        reservation.close();
      }
    }
  }

  /** What the reserving ModelInfer calls. */
  interface Handler {
    void modelInfer(
        Reserved request, io.grpc.stub.StreamObserver<ModelInferResponse> responseObserver);
  }

  private ReservedMessages() {}

  /**
   * The service's definition with ModelInfer's request marshaller replaced by one that reserves
   * first; every other method, and the schema reflection reads, as generated.
   *
   * @param maxBytes the inbound message limit, reserved for a compressed message whose size is not
   *     known before it is inflated
   */
  static ServerServiceDefinition bind(
      GRPCInferenceServiceGrpc.AsyncService service,
      Handler infer,
      MemoryBudget budget,
      long maxBytes) {
    ServerServiceDefinition generated = GRPCInferenceServiceGrpc.bindService(service);
    ServiceDescriptor descriptor = generated.getServiceDescriptor();
    MethodDescriptor<ModelInferRequest, ModelInferResponse> plain =
        GRPCInferenceServiceGrpc.getModelInferMethod();
    MethodDescriptor<Reserved, ModelInferResponse> reserving =
        plain.toBuilder(
                new Reserving(plain.getRequestMarshaller(), budget, maxBytes),
                plain.getResponseMarshaller())
            .build();
    ServiceDescriptor.Builder methods =
        ServiceDescriptor.newBuilder(descriptor.getName())
            .setSchemaDescriptor(descriptor.getSchemaDescriptor());
    for (MethodDescriptor<?, ?> method : descriptor.getMethods()) {
      methods.addMethod(
          method.getFullMethodName().equals(plain.getFullMethodName()) ? reserving : method);
    }
    ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(methods.build());
    for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
      if (!method.getMethodDescriptor().getFullMethodName().equals(plain.getFullMethodName())) {
        definition.addMethod(method);
      }
    }
    definition.addMethod(reserving, ServerCalls.asyncUnaryCall(infer::modelInfer));
    return definition.build();
  }

  private static final class Reserving implements MethodDescriptor.Marshaller<Reserved> {

    private final MethodDescriptor.Marshaller<ModelInferRequest> protobuf;
    private final MemoryBudget budget;
    private final long maxBytes;

    Reserving(
        MethodDescriptor.Marshaller<ModelInferRequest> protobuf,
        MemoryBudget budget,
        long maxBytes) {
      this.protobuf = protobuf;
      this.budget = budget;
      this.maxBytes = maxBytes;
    }

    @Override
    public InputStream stream(Reserved value) {
      return protobuf.stream(value.message());
    }

    @Override
    public Reserved parse(InputStream stream) {
      long size;
      try {
        size = stream instanceof KnownLength ? stream.available() : maxBytes;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      MemoryBudget.Reservation reservation;
      try {
        reservation =
            budget.reserve(
                2 * size, "a gRPC message of " + size + " bytes and the tensors decoded from it");
      } catch (MemoryBudgetExceededException refused) {
        // Thrown here, gRPC would answer UNKNOWN: the handler answers it instead.
        return new Reserved(null, null, refused);
      }
      try {
        return new Reserved(protobuf.parse(stream), reservation, null);
      } catch (RuntimeException e) {
        reservation.close();
        throw e;
      }
    }
  }
}
