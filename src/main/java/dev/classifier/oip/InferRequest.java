package dev.classifier.oip;

import java.util.List;

/**
 * A decoded V2 inference request, whichever door it came through. The model and version are the
 * door's (URL path or gRPC fields); the tensors passed the codec's limits but not yet the model's
 * checks ({@link V2Model#check}).
 *
 * @param id the client's request id, echoed in the response; empty when none
 * @param binaryOutput the request's {@code binary_data_output} parameter (HTTP only)
 * @param outputs the outputs asked for; empty means every output, as the protocol says
 */
public record InferRequest(
    String model,
    String version,
    String id,
    boolean binaryOutput,
    List<InputTensor> inputs,
    List<RequestedOutput> outputs) {

  public InferRequest {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
