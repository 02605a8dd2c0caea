package dev.classifier.rest.v2;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipLimits;
import dev.classifier.oip.TestV2Models;
import dev.classifier.oip.V2Model;
import java.lang.management.ManagementFactory;

/**
 * Coverage-guided fuzzing of the V2 REST request decoder (Jazzer): any body, any {@code
 * Inference-Header-Content-Length}, either model. The invariant, as for the image decoders: a
 * request or an {@link OipException}, nothing else, and allocation bounded by a small multiple of
 * the byte limit (the JSON buffers at most double while they grow, and the decoded tensor is never
 * larger than the limit).
 *
 * <p>Plain test runs replay the inputs under {@code src/test/resources/dev/classifier/rest/v2/
 * V2RequestFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes ({@code mvn verify} does for 60 s).
 */
public class V2RequestFuzzTest {

  /** 64 KiB requests: small enough that each execution is quick. */
  static final long MAX_BYTES = 64 * 1024;

  /** Allocation any input may cause: decoded data, growth copies, the parser's own buffers. */
  static final long MAX_ALLOCATION = 8 * MAX_BYTES + (4L << 20);

  private static final V2RequestDecoder DECODER =
      new V2RequestDecoder(OipLimits.forMaxBytes(MAX_BYTES));
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "60s")
  void decodeAnyBody(FuzzedDataProvider data) {
    check(data);
  }

  /** Entry point for Jazzer's standalone driver. */
  public static void fuzzerTestOneInput(FuzzedDataProvider data) {
    check(data);
  }

  static void check(FuzzedDataProvider data) {
    V2Model model = data.consumeBoolean() ? TestV2Models.TENSOR : TestV2Models.IMAGE;
    int header = data.consumeInt(-1, (int) MAX_BYTES);
    byte[] body = data.consumeRemainingAsBytes();
    long allocated = decodeAllocating(model, header, body);
    if (allocated > MAX_ALLOCATION) {
      // Loading and instrumenting classes the first time a path runs is not the input's cost:
      // measured again, as ImageDecodeFuzzTest does.
      allocated = decodeAllocating(model, header, body);
    }
    if (allocated > MAX_ALLOCATION) {
      throw new AssertionError(
          "decoding " + body.length + " bytes allocated " + allocated + " bytes");
    }
  }

  private static long decodeAllocating(V2Model model, int header, byte[] body) {
    long thread = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(thread);
    try {
      model.check(DECODER.decode(model, "", body, body.length, header));
    } catch (OipException expected) {
      // the decoder's one declared refusal
    }
    return THREADS.getThreadAllocatedBytes(thread) - before;
  }
}
