package dev.classifier.oip;

import java.util.List;

/**
 * A V2 answer, whichever door encodes it: only the fields the protocol defines (Triton's Java
 * client rejects unknown ones).
 *
 * @param binaryOutputs per output, whether the HTTP door sends it in the binary section
 */
public record InferResponse(
    String model,
    String version,
    String id,
    List<OutputTensor> outputs,
    List<Boolean> binaryOutputs) {

  public InferResponse {
    outputs = List.copyOf(outputs);
    binaryOutputs = List.copyOf(binaryOutputs);
    if (outputs.size() != binaryOutputs.size()) {
      throw new IllegalArgumentException("one binary flag per output");
    }
  }
}
