package dev.classifier.oip;

/**
 * What one V2 request may declare, checked by the decoders before anything is allocated for it.
 * Derived from {@code classifier.max-upload-size}: a tensor's elements never take more memory than
 * the largest body the service accepts, so what the body reader admitted bounds the decode too.
 *
 * @param maxBytes the largest request body (HTTP) or message (gRPC), in bytes
 * @param maxTensors inputs, or requested outputs, one request may name (a model here has one of
 *     each; a few more are read so that the error names the mismatch)
 * @param maxRank dimensions of one tensor's shape
 * @param maxParameters entries of one {@code parameters} object
 */
public record OipLimits(long maxBytes, int maxTensors, int maxRank, int maxParameters) {

  /** JSON nesting a request can need: request, inputs, input, data nested to the maximum rank. */
  public int maxJsonDepth() {
    return 4 + maxRank;
  }

  public static OipLimits forMaxBytes(long maxBytes) {
    return new OipLimits(maxBytes, 8, 8, 32);
  }

  /**
   * Elements a shape declares, checked: non-negative dimensions, a rank within the limit, a product
   * that neither overflows nor needs more than {@link #maxBytes} in binary form.
   *
   * @throws OipException 400 for a negative dimension or too many, 413 for too many elements
   */
  public int elements(String tensor, long[] shape, Datatype datatype) {
    if (shape.length > maxRank) {
      throw OipException.invalid(
          "tensor '"
              + Text.clip(tensor)
              + "' has "
              + shape.length
              + " dimensions; at most "
              + maxRank);
    }
    long product = 1;
    for (long dimension : shape) {
      if (dimension < 0) {
        throw OipException.invalid(
            "tensor '" + Text.clip(tensor) + "' has a negative dimension " + dimension);
      }
      try {
        product = Math.multiplyExact(product, dimension);
      } catch (ArithmeticException overflow) {
        throw tooMany(tensor);
      }
    }
    long bytes = product * datatype.minimumBinarySize();
    if (product > Integer.MAX_VALUE - 8
        || bytes / datatype.minimumBinarySize() != product
        || bytes > maxBytes) {
      throw tooMany(tensor);
    }
    return (int) product;
  }

  /** Elements of a datatype that fit the byte limit: what any tensor or array may hold. */
  public int maxElements(Datatype datatype) {
    return (int) Math.min(Integer.MAX_VALUE - 8, maxBytes / datatype.minimumBinarySize());
  }

  private OipException tooMany(String tensor) {
    return OipException.tooLarge(
        "tensor '"
            + Text.clip(tensor)
            + "' declares more elements than a request of at most "
            + maxBytes
            + " bytes can carry");
  }
}
