package dev.classifier.rest.v2;

import dev.classifier.oip.BytesElements;
import dev.classifier.oip.Datatype;
import dev.classifier.oip.InferRequest;
import dev.classifier.oip.InputTensor;
import dev.classifier.oip.OipException;
import dev.classifier.oip.TensorData;
import dev.classifier.oip.TensorSpec;
import dev.classifier.oip.V2Model;
import java.util.Arrays;
import java.util.List;

/**
 * Triton's raw binary request ({@code Inference-Header-Content-Length: 0}): no JSON, the body is
 * the data of the model's one input. A BYTES input gets the whole body as its one element ({@code
 * [1,1]}); an FP32 input as many batch entries as the body holds whole.
 */
final class V2RawRequest {

  private V2RawRequest() {}

  /**
   * @param body the request body, {@code length} bytes from 0, already within the request limit
   */
  static InferRequest of(V2Model model, String version, byte[] body, int length) {
    TensorSpec input = model.input();
    TensorData data;
    long[] shape = input.shape();
    if (input.datatype() == Datatype.BYTES) {
      data = new TensorData.Bytes(List.of(Arrays.copyOf(body, length)));
      shape[0] = 1;
      for (int i = 1; i < shape.length; i++) {
        shape[i] = 1;
      }
    } else {
      long item = Float.BYTES;
      for (long dimension : input.dims()) {
        item *= dimension;
      }
      if (length == 0 || length % item != 0) {
        throw OipException.invalid(
            "a raw request body (Inference-Header-Content-Length: 0) for '"
                + model.name()
                + "' must hold whole "
                + item
                + "-byte FP32 tensors; it has "
                + length
                + " bytes");
      }
      shape[0] = length / item;
      data = BytesElements.decode(input.name(), Datatype.FP32, body, 0, length, length / 4);
    }
    return new InferRequest(
        model.name(),
        version,
        "",
        false,
        List.of(new InputTensor(input.name(), input.datatype(), shape, data)),
        List.of());
  }
}
