package dev.classifier.rest.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.oip.Datatype;
import dev.classifier.oip.InferRequest;
import dev.classifier.oip.InputTensor;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipLimits;
import dev.classifier.oip.OipStatus;
import dev.classifier.oip.RequestedOutput;
import dev.classifier.oip.TensorData;
import dev.classifier.oip.TestV2Models;
import dev.classifier.oip.V2Model;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class V2RequestDecoderTest {

  private final V2RequestDecoder decoder = new V2RequestDecoder(TestV2Models.LIMITS);

  private InferRequest json(V2Model model, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return decoder.decode(model, "", body, body.length, -1);
  }

  private AbstractThrowableAssert<?, ?> refusesJson(String json, OipStatus status) {
    return assertThatThrownBy(() -> json(TestV2Models.TENSOR, json))
        .isInstanceOf(OipException.class)
        .satisfies(e -> assertThat(((OipException) e).status()).isEqualTo(status));
  }

  private static String floats(int n) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      text.append(i == 0 ? "" : ",").append(i);
    }
    return text.append(']').toString();
  }

  /** A JSON header followed by binary sections, as the binary extension frames them. */
  static byte[] binaryBody(String header, byte[]... sections) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
    for (byte[] section : sections) {
      out.writeBytes(section);
    }
    return out.toByteArray();
  }

  static byte[] le(float... values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      bytes.putFloat(value);
    }
    return bytes.array();
  }

  static byte[] lengthPrefixed(byte[]... elements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] element : elements) {
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(element.length).array());
      out.writeBytes(element);
    }
    return out.toByteArray();
  }

  @Test
  void flatJsonDataWithUnknownFieldsOutputsAndParameters() {
    InferRequest request =
        json(
            TestV2Models.TENSOR,
            "{\"model_name\":\"xception\",\"id\":\"abc\",\"extra\":{\"a\":[1,{\"b\":2}]},"
                + "\"parameters\":{\"binary_data_output\":true,\"other\":\"x\"},"
                + "\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,2,2,3],\"datatype\":\"FP32\","
                + "\"data\":"
                + floats(12)
                + "}],"
                + "\"outputs\":[{\"name\":\"predictions\",\"parameters\":{\"classification\":2,"
                + "\"binary_data\":false}}]}");

    assertThat(request.id()).isEqualTo("abc");
    assertThat(request.binaryOutput()).isTrue();
    InputTensor input = request.inputs().get(0);
    assertThat(input.name()).isEqualTo("input_1");
    assertThat(input.datatype()).isEqualTo(Datatype.FP32);
    assertThat(input.shape()).containsExactly(1, 2, 2, 3);
    assertThat(((TensorData.Fp32) input.data()).values())
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertThat(request.outputs()).containsExactly(new RequestedOutput("predictions", false, 2));
    assertThat(TestV2Models.TENSOR.check(request)).isEqualTo(1);
  }

  @Test
  void nestedJsonDataIsReadRowMajorAndDataMayComeBeforeShape() {
    InferRequest request =
        json(
            TestV2Models.TENSOR,
            "{\"inputs\":[{\"data\":[[[[0,1,2],[3,4,5]],[[6,7,8],[9,10,11.5]]]],"
                + "\"name\":\"input_1\",\"datatype\":\"FP32\",\"shape\":[1,2,2,3]}]}");

    assertThat(((TensorData.Fp32) request.inputs().get(0).data()).values())
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11.5f);
  }

  @Test
  void bytesInJsonAreBase64() {
    String jpeg = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xd8, 1});
    InferRequest request =
        json(
            TestV2Models.IMAGE,
            "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\""
                + jpeg
                + "\"]}]}");

    assertThat(((TensorData.Bytes) request.inputs().get(0).data()).elements())
        .containsExactly(new byte[] {(byte) 0xff, (byte) 0xd8, 1});
    assertThat(TestV2Models.IMAGE.check(request)).isEqualTo(1);
  }

  @Test
  void binaryExtensionFp32AndBytesExactBytes() {
    String header =
        "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,2,2,3],\"datatype\":\"FP32\","
            + "\"parameters\":{\"binary_data_size\":48}}],"
            + "\"outputs\":[{\"name\":\"predictions\",\"parameters\":{\"binary_data\":true}}]}";
    float[] values = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1.5f};
    byte[] body = binaryBody(header, le(values));

    InferRequest request =
        decoder.decode(TestV2Models.TENSOR, "1", body, body.length, header.length());

    assertThat(((TensorData.Fp32) request.inputs().get(0).data()).values()).containsExactly(values);
    assertThat(request.outputs()).containsExactly(new RequestedOutput("predictions", true, 0));
    // -1.5f little-endian: 00 00 c0 bf
    assertThat(java.util.Arrays.copyOfRange(body, body.length - 4, body.length))
        .containsExactly(0x00, 0x00, 0xc0, 0xbf);

    String imageHeader =
        "{\"inputs\":[{\"name\":\"image\",\"shape\":[2,1],\"datatype\":\"BYTES\","
            + "\"parameters\":{\"binary_data_size\":13}}]}";
    byte[] images = lengthPrefixed(new byte[] {1, 2, 3}, new byte[] {4, 5});
    assertThat(images).containsExactly(3, 0, 0, 0, 1, 2, 3, 2, 0, 0, 0, 4, 5);
    byte[] imageBody = binaryBody(imageHeader, images);
    InferRequest imageRequest =
        decoder.decode(TestV2Models.IMAGE, "", imageBody, imageBody.length, imageHeader.length());
    assertThat(((TensorData.Bytes) imageRequest.inputs().get(0).data()).elements())
        .containsExactly(new byte[] {1, 2, 3}, new byte[] {4, 5});
  }

  @Test
  void rawBodyWithHeaderLengthZeroIsTheOneInput() {
    byte[] file = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0};
    InferRequest image = decoder.decode(TestV2Models.IMAGE, "", file, file.length, 0);
    assertThat(image.inputs().get(0).shape()).containsExactly(1, 1);
    assertThat(((TensorData.Bytes) image.inputs().get(0).data()).elements()).containsExactly(file);

    byte[] two = new byte[2 * 48];
    InferRequest tensor = decoder.decode(TestV2Models.TENSOR, "", two, two.length, 0);
    assertThat(tensor.inputs().get(0).shape()).containsExactly(2, 2, 2, 3);
    assertThat(TestV2Models.TENSOR.check(tensor)).isEqualTo(2);

    assertThatThrownBy(() -> decoder.decode(TestV2Models.TENSOR, "", two, 47, 0))
        .hasMessageContaining("whole 48-byte FP32 tensors");
  }

  @Test
  void headerLengthHeaderMustBeANonNegativeNumber() {
    assertThat(V2RequestDecoder.headerLength(null)).isEqualTo(-1);
    assertThat(V2RequestDecoder.headerLength(" 12 ")).isEqualTo(12);
    for (String bad : new String[] {"", "-1", "1e3", "abc", "99999999999999999999"}) {
      assertThatThrownBy(() -> V2RequestDecoder.headerLength(bad))
          .isInstanceOf(OipException.class)
          .hasMessageContaining("is not a byte count");
    }
  }

  @Test
  void headerLengthLargerThanTheBodyIsRefused() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> decoder.decode(TestV2Models.TENSOR, "", body, body.length, 3))
        .hasMessage("Inference-Header-Content-Length is 3 but the body has only 2 bytes");
  }

  @Test
  void binaryDataSizePastTheBodyNegativeOrNotSummingIsRefused() {
    String past =
        "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,2,2,3],\"datatype\":\"FP32\","
            + "\"parameters\":{\"binary_data_size\":4800}}]}";
    byte[] body = binaryBody(past, new byte[48]);
    assertThatThrownBy(
            () -> decoder.decode(TestV2Models.TENSOR, "", body, body.length, past.length()))
        .hasMessage(
            "input 'input_1' has binary_data_size 4800; only 48 bytes of binary data remain");

    String negative = past.replace("4800", "-4");
    byte[] negativeBody = binaryBody(negative, new byte[48]);
    assertThatThrownBy(
            () ->
                decoder.decode(
                    TestV2Models.TENSOR, "", negativeBody, negativeBody.length, negative.length()))
        .hasMessage("binary_data_size -4 is negative");

    String exact = past.replace("4800", "48");
    byte[] extra = binaryBody(exact, new byte[52]);
    assertThatThrownBy(
            () -> decoder.decode(TestV2Models.TENSOR, "", extra, extra.length, exact.length()))
        .hasMessage(
            "the inputs' binary_data_size add up to 48 bytes; the body has 52 after the JSON header");

    String wrongSize = past.replace("4800", "44");
    byte[] short44 = binaryBody(wrongSize, new byte[44]);
    assertThatThrownBy(
            () ->
                decoder.decode(
                    TestV2Models.TENSOR, "", short44, short44.length, wrongSize.length()))
        .hasMessage("tensor 'input_1' has 44 bytes of data; its shape needs 48");
  }

  @Test
  void bytesLengthPrefixesPastTheirBufferAreRefused() {
    String header =
        "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,1],\"datatype\":\"BYTES\","
            + "\"parameters\":{\"binary_data_size\":8}}]}";
    byte[] section = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};
    byte[] body = binaryBody(header, section);
    assertThatThrownBy(
            () -> decoder.decode(TestV2Models.IMAGE, "", body, body.length, header.length()))
        .hasMessage("tensor 'image' element 0 declares 4294967295 bytes; only 4 follow");

    String two = header.replace("[1,1]", "[2,1]").replace(":8", ":6");
    byte[] truncated = binaryBody(two, new byte[] {1, 0, 0, 0, 9, 0});
    assertThatThrownBy(
            () -> decoder.decode(TestV2Models.IMAGE, "", truncated, truncated.length, two.length()))
        .hasMessage("tensor 'image' has 6 bytes of data; too few for 2 BYTES elements");
  }

  @Test
  void shapeDatatypeAndCountMismatchesAreRefused() {
    refusesJson(
            "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,2,2,3],\"datatype\":\"FP32\","
                + "\"data\":"
                + floats(11)
                + "}]}",
            OipStatus.INVALID)
        .hasMessage("input 'input_1' has 11 elements in 'data'; its shape says 12");
    refusesJson(
            "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,2,2,3],\"datatype\":\"INT64\","
                + "\"data\":"
                + floats(12)
                + "}]}",
            OipStatus.INVALID)
        .hasMessage("datatype 'INT64' is not supported; this service takes FP32 and BYTES tensors");
    refusesJson(
            "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1],\"datatype\":\"fp32\",\"data\":[1]}]}",
            OipStatus.INVALID)
        .hasMessage("unknown datatype 'fp32' (datatypes are upper case: FP32)");
    refusesJson(
            "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1],\"datatype\":\"FP32\","
                + "\"data\":[\"AAAA\"]}]}",
            OipStatus.INVALID)
        .hasMessage("input 'input_1' is FP32; its 'data' must be numbers");
    refusesJson(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,\"a\"]}]}",
            OipStatus.INVALID)
        .hasMessage("input 'x' mixes numbers and strings in 'data'");

    InferRequest wrongShape =
        json(
            TestV2Models.TENSOR,
            "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,3,2,2],\"datatype\":\"FP32\","
                + "\"data\":"
                + floats(12)
                + "}]}");
    assertThatThrownBy(() -> TestV2Models.TENSOR.check(wrongShape))
        .hasMessage(
            "input 'input_1' has shape input_1 FP32 [-1, 2, 2, 3]; the request sends [1, 3, 2, 2]");
    InferRequest bytesToTensorModel =
        json(
            TestV2Models.TENSOR,
            "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,1],\"datatype\":\"BYTES\","
                + "\"data\":[\"AAAA\"]}]}");
    assertThatThrownBy(() -> TestV2Models.TENSOR.check(bytesToTensorModel))
        .hasMessage("input 'input_1' is FP32; the request sends BYTES");
    InferRequest tooBig =
        json(
            TestV2Models.TENSOR,
            "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[5,2,2,3],\"datatype\":\"FP32\","
                + "\"data\":"
                + floats(60)
                + "}]}");
    assertThatThrownBy(() -> TestV2Models.TENSOR.check(tooBig))
        .hasMessage("input 'input_1' carries a batch of 5; model 'xception' takes 1 to 4");
    InferRequest unknownOutput =
        json(
            TestV2Models.TENSOR,
            "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,2,2,3],\"datatype\":\"FP32\","
                + "\"data\":"
                + floats(12)
                + "}],\"outputs\":[{\"name\":\"logits\"}]}");
    assertThatThrownBy(() -> TestV2Models.TENSOR.check(unknownOutput))
        .hasMessage("model 'xception' has no output 'logits'; its output is 'predictions'");
  }

  @Test
  void overflowingOrOversizedShapesAreRefusedBeforeAnyAllocation() {
    refusesJson(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[9223372036854775807,4],\"datatype\":\"FP32\","
                + "\"data\":[1]}]}",
            OipStatus.TOO_LARGE)
        .hasMessage(
            "tensor 'x' declares more elements than a request of at most 1048576 bytes can carry");
    refusesJson(
        "{\"inputs\":[{\"name\":\"x\",\"shape\":[65536,65536],\"datatype\":\"FP32\","
            + "\"parameters\":{\"binary_data_size\":0}}]}",
        OipStatus.TOO_LARGE);
    refusesJson(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,-3],\"datatype\":\"FP32\",\"data\":[1]}]}",
            OipStatus.INVALID)
        .hasMessage("tensor 'x' has a negative dimension -3");
    refusesJson(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1,1,1,1,1,1,1,1],\"datatype\":\"FP32\"}]}",
            OipStatus.INVALID)
        .hasMessage("a 'shape' has more than 8 dimensions");
    refusesJson(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[99999999999999999999999],\"datatype\":\"FP32\"}]}",
            OipStatus.INVALID)
        .hasMessage("a 'shape' dimension is out of range");
  }

  @Test
  void badBase64IsRefused() {
    assertThatThrownBy(
            () ->
                json(
                    TestV2Models.IMAGE,
                    "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,1],\"datatype\":\"BYTES\","
                        + "\"data\":[\"not base64!\"]}]}"))
        .isInstanceOf(OipException.class)
        .hasMessage("input 'image' element 0 is not valid base64");
  }

  @Test
  void deeplyNestedDataIsRefusedAtTheDepthLimit() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    refusesJson(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":"
                + deep
                + "}]}",
            OipStatus.INVALID)
        .hasMessageContaining("nest");
    refusesJson("{\"extra\":" + deep + "}", OipStatus.INVALID).hasMessageContaining("nest");
  }

  @Test
  void aMillionElementArrayWithinTheByteLimitIsReadAndStopsAtTheElementLimit() {
    // 1,000,000 zeros take 2 MB of JSON: under a 4 MiB limit they are read, into exactly 4 MB.
    StringBuilder zeros = new StringBuilder("[0");
    zeros.append(",0".repeat(999_999)).append(']');
    byte[] body =
        ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1000000],\"datatype\":\"FP32\",\"data\":"
                + zeros
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    V2RequestDecoder large = new V2RequestDecoder(OipLimits.forMaxBytes(4 << 20));
    InferRequest request = large.decode(TestV2Models.TENSOR, "", body, body.length, -1);
    assertThat(request.inputs().get(0).data().count()).isEqualTo(1_000_000);

    // Under a 1 MiB limit an array of 300,000 (600 KB of JSON, within the byte limit) stops at
    // 1 MiB / 4 bytes = 262,144 elements, whatever its shape claims.
    byte[] within =
        ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":"
                + zeros.substring(0, 2 * 300_000 - 1)
                + "]}]}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(within.length).isLessThan(1 << 20);
    assertThatThrownBy(() -> decoder.decode(TestV2Models.TENSOR, "", within, within.length, -1))
        .isInstanceOf(OipException.class)
        .hasMessage("input 'x' has more than 262144 elements in 'data'");
  }

  @Test
  void aThousandInputsAreRefusedAfterTheLimitNotAfterReadingThemAll() {
    StringBuilder inputs = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      inputs
          .append(i == 0 ? "" : ",")
          .append("{\"name\":\"i")
          .append(i)
          .append("\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}");
    }
    refusesJson("{\"inputs\":[" + inputs + "]}", OipStatus.INVALID)
        .hasMessage("the request has more than 8 inputs; model 'xception' has one");
  }

  @Test
  void malformedJsonAndWrongTypesAreRefused() {
    refusesJson("{\"inputs\":[", OipStatus.INVALID)
        .hasMessageStartingWith("the request is not valid JSON");
    refusesJson("[]", OipStatus.INVALID).hasMessage("the request must be an object");
    refusesJson("{}", OipStatus.INVALID).hasMessage("the request has no 'inputs'");
    refusesJson(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]} {}",
            OipStatus.INVALID)
        .hasMessage("the JSON header has data after its object");
    refusesJson(
            "{\"inputs\":[{\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}", OipStatus.INVALID)
        .hasMessage("an input has no 'name'");
  }

  @Test
  void bodyOverTheLimitIsTooLarge() {
    byte[] body = new byte[(1 << 20) + 1];
    assertThatThrownBy(() -> decoder.decode(TestV2Models.TENSOR, "", body, body.length, -1))
        .isInstanceOf(OipException.class)
        .satisfies(e -> assertThat(((OipException) e).status()).isEqualTo(OipStatus.TOO_LARGE));
  }
}
