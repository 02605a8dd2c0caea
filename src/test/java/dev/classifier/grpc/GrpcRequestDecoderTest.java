package dev.classifier.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.classifier.grpc.proto.InferParameter;
import dev.classifier.grpc.proto.InferTensorContents;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.grpc.proto.ModelInferResponse;
import dev.classifier.oip.InferRequest;
import dev.classifier.oip.OipException;
import dev.classifier.oip.RequestedOutput;
import dev.classifier.oip.TensorData;
import dev.classifier.oip.TestV2Models;
import dev.classifier.oip.V2Outputs;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcRequestDecoderTest {

  private final GrpcRequestDecoder decoder = new GrpcRequestDecoder(TestV2Models.LIMITS);

  private static ModelInferRequest.InferInputTensor.Builder input(
      String name, String datatype, long... shape) {
    ModelInferRequest.InferInputTensor.Builder input =
        ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
    for (long dimension : shape) {
      input.addShape(dimension);
    }
    return input;
  }

  /** A request of {@code input} alone, its data in the tensor's typed contents. */
  private InferRequest decodeOne(ModelInferRequest.InferInputTensor.Builder input) {
    return decoder.decode(ModelInferRequest.newBuilder().addInputs(input).build());
  }

  @Test
  void rawInputContentsAreLittleEndian() {
    ModelInferRequest request =
        ModelInferRequest.newBuilder()
            .setModelName("xception-image")
            .setId("g1")
            .addInputs(input("image", "BYTES", 1, 1))
            .addRawInputContents(ByteString.copyFrom(new byte[] {2, 0, 0, 0, 7, 8}))
            .addOutputs(
                ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                    .setName("predictions")
                    .putParameters(
                        "classification", InferParameter.newBuilder().setInt64Param(3).build()))
            .build();

    InferRequest decoded = decoder.decode(request);

    assertThat(decoded.id()).isEqualTo("g1");
    assertThat(((TensorData.Bytes) decoded.inputs().get(0).data()).elements())
        .containsExactly(new byte[] {7, 8});
    assertThat(decoded.outputs()).containsExactly(new RequestedOutput("predictions", null, 3));
    assertThat(TestV2Models.IMAGE.check(decoded)).isEqualTo(1);
  }

  @Test
  void typedContentsFp32AndBytes() {
    InferTensorContents.Builder floats = InferTensorContents.newBuilder();
    for (int i = 0; i < 12; i++) {
      floats.addFp32Contents(i / 2f);
    }
    InferRequest tensor =
        decoder.decode(
            ModelInferRequest.newBuilder()
                .setModelName("xception")
                .addInputs(input("input_1", "FP32", 1, 2, 2, 3).setContents(floats))
                .build());
    assertThat(((TensorData.Fp32) tensor.inputs().get(0).data()).values()[11]).isEqualTo(5.5f);

    InferRequest image =
        decodeOne(
            input("image", "BYTES", 1, 1)
                .setContents(
                    InferTensorContents.newBuilder()
                        .addBytesContents(ByteString.copyFromUtf8("jpeg"))));
    assertThat(((TensorData.Bytes) image.inputs().get(0).data()).elements())
        .containsExactly("jpeg".getBytes());
  }

  @Test
  void mismatchesAreInvalidArguments() {
    assertThatThrownBy(
            () ->
                decoder.decode(
                    ModelInferRequest.newBuilder()
                        .addInputs(input("input_1", "FP32", 1, 2, 2, 3))
                        .addRawInputContents(ByteString.copyFrom(new byte[40]))
                        .build()))
        .isInstanceOf(OipException.class)
        .hasMessage("tensor 'input_1' has 40 bytes of data; its shape needs 48");
    assertThatThrownBy(
            () ->
                decodeOne(
                    input("input_1", "FP32", 1, 2)
                        .setContents(InferTensorContents.newBuilder().addIntContents(1))))
        .hasMessage("input 'input_1' is FP32; its contents belong in fp32_contents");
    assertThatThrownBy(
            () ->
                decodeOne(
                    input("input_1", "FP32", 1, 2)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1f))))
        .hasMessage("input 'input_1' has 1 elements in its contents; its shape says 2");
    assertThatThrownBy(() -> decodeOne(input("x", "FP32", Long.MAX_VALUE, 2)))
        .hasMessage(
            "tensor 'x' declares more elements than a request of at most 1048576 bytes can carry");
    ModelInferRequest.Builder many = ModelInferRequest.newBuilder();
    for (int i = 0; i < 1000; i++) {
      many.addInputs(input("i" + i, "FP32", 1));
    }
    assertThatThrownBy(() -> decoder.decode(many.build()))
        .hasMessage("the request names 1000 inputs and 0 outputs; at most 8 of each");
    assertThatThrownBy(
            () ->
                decoder.decode(
                    ModelInferRequest.newBuilder()
                        .addInputs(input("x", "FP32", 1))
                        .addInputs(input("y", "FP32", 1))
                        .addRawInputContents(ByteString.copyFrom(new byte[4]))
                        .build()))
        .hasMessage("raw_input_contents has 1 entries; the request has 2 inputs");
  }

  @Test
  void answersGoInRawOutputContents() {
    InferRequest request =
        new InferRequest(
            "xception",
            "",
            "g2",
            false,
            List.of(),
            List.of(new RequestedOutput("predictions", null, 0)));
    ModelInferResponse response =
        new GrpcResponseEncoder()
            .encode(
                V2Outputs.answer(
                    TestV2Models.TENSOR, request, new float[] {0.25f, -1.5f, 0.5f}, 1));

    assertThat(response.getModelName()).isEqualTo("xception");
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(response.getId()).isEqualTo("g2");
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 3L);
    assertThat(response.getOutputs(0).hasContents()).isFalse();
    assertThat(response.getRawOutputContents(0).toByteArray())
        .containsExactly(0, 0, 0x80, 0x3e, 0, 0, 0xc0, 0xbf, 0, 0, 0, 0x3f);
  }
}
