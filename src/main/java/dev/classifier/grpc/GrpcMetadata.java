package dev.classifier.grpc;

import dev.classifier.grpc.proto.DataType;
import dev.classifier.grpc.proto.ModelConfig;
import dev.classifier.grpc.proto.ModelInput;
import dev.classifier.grpc.proto.ModelMetadataResponse;
import dev.classifier.grpc.proto.ModelOutput;
import dev.classifier.grpc.proto.ServerMetadataResponse;
import dev.classifier.oip.Datatype;
import dev.classifier.oip.ServerInfo;
import dev.classifier.oip.TensorSpec;
import dev.classifier.oip.V2Model;

/** A V2 model's metadata and Triton model configuration as gRPC messages. */
final class GrpcMetadata {

  private GrpcMetadata() {}

  static ServerMetadataResponse server(ServerInfo info) {
    return ServerMetadataResponse.newBuilder()
        .setName(info.name())
        .setVersion(info.version())
        .addAllExtensions(info.extensions())
        .build();
  }

  static ModelMetadataResponse model(V2Model model) {
    return ModelMetadataResponse.newBuilder()
        .setName(model.name())
        .addAllVersions(model.versions())
        .setPlatform(V2Model.PLATFORM)
        .addInputs(tensor(model.input()))
        .addOutputs(tensor(model.output()))
        .build();
  }

  private static ModelMetadataResponse.TensorMetadata tensor(TensorSpec spec) {
    ModelMetadataResponse.TensorMetadata.Builder tensor =
        ModelMetadataResponse.TensorMetadata.newBuilder()
            .setName(spec.name())
            .setDatatype(spec.datatype().name());
    for (long dimension : spec.shape()) {
      tensor.addShape(dimension);
    }
    return tensor.build();
  }

  /**
   * Triton's model configuration: dims without the batch dimension, which max_batch_size implies.
   */
  static ModelConfig config(V2Model model) {
    ModelInput.Builder input =
        ModelInput.newBuilder()
            .setName(model.input().name())
            .setDataType(dataType(model.input().datatype()))
            .setFormat(ModelInput.Format.valueOf(model.format().name()));
    for (long dimension : model.input().dims()) {
      input.addDims(dimension);
    }
    ModelOutput.Builder output =
        ModelOutput.newBuilder()
            .setName(model.output().name())
            .setDataType(dataType(model.output().datatype()))
            .setLabelFilename(model.labelFile());
    for (long dimension : model.output().dims()) {
      output.addDims(dimension);
    }
    return ModelConfig.newBuilder()
        .setName(model.name())
        .setPlatform(V2Model.PLATFORM)
        .setMaxBatchSize(model.maxBatchSize())
        .addInput(input)
        .addOutput(output)
        .build();
  }

  /** Triton's config names BYTES TYPE_STRING; the others are TYPE_ and the protocol's name. */
  static DataType dataType(Datatype datatype) {
    return datatype == Datatype.BYTES
        ? DataType.TYPE_STRING
        : DataType.valueOf("TYPE_" + datatype.name());
  }
}
