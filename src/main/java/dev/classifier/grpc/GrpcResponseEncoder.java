package dev.classifier.grpc;

import com.google.protobuf.ByteString;
import dev.classifier.grpc.proto.ModelInferResponse;
import dev.classifier.oip.BytesElements;
import dev.classifier.oip.InferResponse;
import dev.classifier.oip.OutputTensor;

/**
 * Writes the protocol's answer as a gRPC {@code ModelInferResponse}: each output's name, datatype
 * and shape, its data in {@code raw_output_contents} (in output order, Triton's binary form), which
 * is the only place Triton's Python client reads it from.
 */
public final class GrpcResponseEncoder {

  public ModelInferResponse encode(InferResponse response) {
    ModelInferResponse.Builder builder =
        ModelInferResponse.newBuilder()
            .setModelName(response.model())
            .setModelVersion(response.version())
            .setId(response.id());
    for (OutputTensor output : response.outputs()) {
      ModelInferResponse.InferOutputTensor.Builder tensor =
          ModelInferResponse.InferOutputTensor.newBuilder()
              .setName(output.name())
              .setDatatype(output.datatype().name());
      for (long dimension : output.shape()) {
        tensor.addShape(dimension);
      }
      builder.addOutputs(tensor);
      builder.addRawOutputContents(ByteString.copyFrom(BytesElements.encode(output.data())));
    }
    return builder.build();
  }
}
