package dev.classifier.grpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipLimits;
import dev.classifier.oip.TestV2Models;
import dev.classifier.oip.V2Model;
import java.lang.management.ManagementFactory;

/**
 * Coverage-guided fuzzing of the gRPC request conversion (Jazzer): any message bytes (a message
 * protobuf cannot parse is gRPC's to refuse before the service sees it). The invariant, as for the
 * REST decoder: a request or an {@link OipException}, and allocation bounded by a small multiple of
 * the message size.
 *
 * <p>Plain test runs replay the inputs under {@code src/test/resources/dev/classifier/grpc/
 * GrpcRequestFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes ({@code mvn verify} does).
 */
public class GrpcRequestFuzzTest {

  static final long MAX_BYTES = 64 * 1024;
  static final long MAX_ALLOCATION = 8 * MAX_BYTES + (4L << 20);

  private static final GrpcRequestDecoder DECODER =
      new GrpcRequestDecoder(OipLimits.forMaxBytes(MAX_BYTES));
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "60s")
  void decodeAnyMessage(byte[] bytes) {
    check(bytes);
  }

  /** Entry point for Jazzer's standalone driver. */
  public static void fuzzerTestOneInput(byte[] bytes) {
    check(bytes);
  }

  static void check(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      return; // the server's inbound message limit refuses it before parsing
    }
    ModelInferRequest request;
    try {
      request = ModelInferRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    long allocated = convertAllocating(request);
    if (allocated > MAX_ALLOCATION) {
      // Loading and instrumenting classes the first time a path runs is not the input's cost:
      // measured again, as ImageDecodeFuzzTest does.
      allocated = convertAllocating(request);
    }
    if (allocated > MAX_ALLOCATION) {
      throw new AssertionError(
          "converting " + bytes.length + " bytes allocated " + allocated + " bytes");
    }
  }

  private static long convertAllocating(ModelInferRequest request) {
    long thread = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(thread);
    try {
      V2Model model =
          request.getModelName().endsWith("-image") ? TestV2Models.IMAGE : TestV2Models.TENSOR;
      model.check(DECODER.decode(request));
    } catch (OipException expected) {
      // the conversion's one declared refusal
    }
    return THREADS.getThreadAllocatedBytes(thread) - before;
  }
}
