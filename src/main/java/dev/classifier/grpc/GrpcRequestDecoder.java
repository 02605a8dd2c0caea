package dev.classifier.grpc;

import com.google.protobuf.ByteString;
import dev.classifier.grpc.proto.InferParameter;
import dev.classifier.grpc.proto.InferTensorContents;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.oip.BytesElements;
import dev.classifier.oip.Datatype;
import dev.classifier.oip.InferRequest;
import dev.classifier.oip.InputTensor;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipLimits;
import dev.classifier.oip.RequestedOutput;
import dev.classifier.oip.TensorData;
import dev.classifier.oip.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a gRPC {@code ModelInferRequest} into the protocol's request: tensor data from {@code
 * raw_input_contents} (one entry per input, Triton's binary form) or from typed {@code contents}
 * ({@code fp32_contents}, {@code bytes_contents}), never both. The message itself is bounded by the
 * server's inbound size limit; every declared shape is checked against {@link OipLimits} and
 * against the data actually sent. Throws {@link OipException} and nothing else.
 */
public final class GrpcRequestDecoder {

  private final OipLimits limits;

  public GrpcRequestDecoder(OipLimits limits) {
    this.limits = limits;
  }

  public InferRequest decode(ModelInferRequest request) {
    if (request.getInputsCount() == 0) {
      throw OipException.invalid("the request has no inputs");
    }
    if (request.getInputsCount() > limits.maxTensors()
        || request.getOutputsCount() > limits.maxTensors()) {
      throw OipException.invalid(
          "the request names "
              + request.getInputsCount()
              + " inputs and "
              + request.getOutputsCount()
              + " outputs; at most "
              + limits.maxTensors()
              + " of each");
    }
    int raw = request.getRawInputContentsCount();
    if (raw != 0 && raw != request.getInputsCount()) {
      throw OipException.invalid(
          "raw_input_contents has "
              + raw
              + " entries; the request has "
              + request.getInputsCount()
              + " inputs");
    }
    List<InputTensor> inputs = new ArrayList<>(request.getInputsCount());
    for (int i = 0; i < request.getInputsCount(); i++) {
      ModelInferRequest.InferInputTensor input = request.getInputs(i);
      String name = input.getName();
      Datatype datatype = Datatype.parseSupported(input.getDatatype());
      long[] shape = shape(input);
      int elements = limits.elements(name, shape, datatype);
      TensorData data;
      if (raw != 0) {
        if (input.hasContents()) {
          throw OipException.invalid(
              "input '" + Text.clip(name) + "' has contents as well as raw_input_contents");
        }
        ByteString bytes = request.getRawInputContents(i);
        data = BytesElements.decode(name, datatype, bytes.toByteArray(), 0, bytes.size(), elements);
      } else {
        data = typed(name, datatype, input.getContents(), elements);
      }
      inputs.add(new InputTensor(name, datatype, shape, data));
    }
    List<RequestedOutput> outputs = new ArrayList<>(request.getOutputsCount());
    for (ModelInferRequest.InferRequestedOutputTensor output : request.getOutputsList()) {
      outputs.add(new RequestedOutput(output.getName(), null, classification(output)));
    }
    return new InferRequest(
        request.getModelName(), request.getModelVersion(), request.getId(), false, inputs, outputs);
  }

  private long[] shape(ModelInferRequest.InferInputTensor input) {
    if (input.getShapeCount() > limits.maxRank()) {
      throw OipException.invalid(
          "input '"
              + Text.clip(input.getName())
              + "' has "
              + input.getShapeCount()
              + " dimensions; at most "
              + limits.maxRank());
    }
    long[] shape = new long[input.getShapeCount()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = input.getShape(d);
    }
    return shape;
  }

  private static TensorData typed(
      String name, Datatype datatype, InferTensorContents contents, int elements) {
    int other =
        contents.getBoolContentsCount()
            + contents.getIntContentsCount()
            + contents.getInt64ContentsCount()
            + contents.getUintContentsCount()
            + contents.getUint64ContentsCount()
            + contents.getFp64ContentsCount()
            + (datatype == Datatype.FP32
                ? contents.getBytesContentsCount()
                : contents.getFp32ContentsCount());
    if (other != 0) {
      throw OipException.invalid(
          "input '"
              + Text.clip(name)
              + "' is "
              + datatype
              + "; its contents belong in "
              + (datatype == Datatype.FP32 ? "fp32_contents" : "bytes_contents"));
    }
    TensorData data;
    if (datatype == Datatype.FP32) {
      float[] values = new float[contents.getFp32ContentsCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = contents.getFp32Contents(i);
      }
      data = new TensorData.Fp32(values);
    } else {
      List<byte[]> values = new ArrayList<>(contents.getBytesContentsCount());
      for (ByteString element : contents.getBytesContentsList()) {
        values.add(element.toByteArray());
      }
      data = new TensorData.Bytes(values);
    }
    return data.matchingShape(name, elements, "in its contents");
  }

  private static int classification(ModelInferRequest.InferRequestedOutputTensor output) {
    InferParameter parameter = output.getParametersMap().get("classification");
    if (parameter == null) {
      return 0;
    }
    long count =
        switch (parameter.getParameterChoiceCase()) {
          case INT64_PARAM -> parameter.getInt64Param();
          case UINT64_PARAM -> parameter.getUint64Param() < 0 ? -1 : parameter.getUint64Param();
          default ->
              throw OipException.invalid(
                  "output '"
                      + Text.clip(output.getName())
                      + "' has a classification that is not an integer");
        };
    if (count < 0 || count > Integer.MAX_VALUE) {
      throw OipException.invalid(
          "output '" + Text.clip(output.getName()) + "' has classification " + count);
    }
    return (int) count;
  }
}
