package dev.classifier.oip;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a batch's scores into the V2 answer a request asked for: the probabilities {@code [batch,
 * classes]} FP32, or the classification strings when the output asked for them, each flagged for
 * the binary section as the request's {@code binary_data} / {@code binary_data_output} say.
 */
public final class V2Outputs {

  private V2Outputs() {}

  /**
   * @param scores {@code batch × classes} probabilities, row-major
   */
  public static InferResponse answer(
      V2Model model, InferRequest request, float[] scores, int batch) {
    int classes = (int) model.output().shape()[1];
    if (scores.length != (long) batch * classes) {
      throw new IllegalArgumentException(
          scores.length + " scores for a batch of " + batch + " × " + classes);
    }
    List<RequestedOutput> requested =
        request.outputs().isEmpty()
            ? List.of(new RequestedOutput(model.output().name(), null, 0))
            : request.outputs();
    List<OutputTensor> outputs = new ArrayList<>(requested.size());
    List<Boolean> binary = new ArrayList<>(requested.size());
    for (RequestedOutput output : requested) {
      outputs.add(
          output.classification() > 0
              ? Classification.topK(
                  output.name(), scores, batch, classes, output.classification(), model.labels())
              : new OutputTensor(
                  output.name(),
                  Datatype.FP32,
                  new long[] {batch, classes},
                  new TensorData.Fp32(scores)));
      binary.add(output.binary() != null ? output.binary() : request.binaryOutput());
    }
    return new InferResponse(model.name(), model.version(), request.id(), outputs, binary);
  }
}
