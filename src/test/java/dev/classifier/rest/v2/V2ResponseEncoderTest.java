package dev.classifier.rest.v2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.oip.InferRequest;
import dev.classifier.oip.InferResponse;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipStatus;
import dev.classifier.oip.RequestedOutput;
import dev.classifier.oip.TestV2Models;
import dev.classifier.oip.V2Outputs;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class V2ResponseEncoderTest {

  private final V2ResponseEncoder encoder = new V2ResponseEncoder();

  private static InferResponse answer(boolean binaryOutput, RequestedOutput... outputs) {
    InferRequest request =
        new InferRequest("xception", "", "req-7", binaryOutput, List.of(), List.of(outputs));
    return V2Outputs.answer(TestV2Models.TENSOR, request, new float[] {0.25f, -1.5f, 0.5f}, 1);
  }

  @Test
  void jsonCarriesOnlyTheProtocolsFields() {
    V2ResponseEncoder.Encoded encoded = encoder.encode(answer(false));

    assertThat(encoded.headerLength()).isEqualTo(-1);
    assertThat(encoded.contentType()).isEqualTo("application/json");
    assertThat(new String(encoded.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"model_name\":\"xception\",\"model_version\":\"1\",\"id\":\"req-7\",\"outputs\":"
                + "[{\"name\":\"predictions\",\"datatype\":\"FP32\",\"shape\":[1,3],"
                + "\"data\":[0.25,-1.5,0.5]}]}");
  }

  @Test
  void binaryOutputFollowsTheHeaderLittleEndian() {
    V2ResponseEncoder.Encoded encoded = encoder.encode(answer(true));
    String header =
        "{\"model_name\":\"xception\",\"model_version\":\"1\",\"id\":\"req-7\",\"outputs\":"
            + "[{\"name\":\"predictions\",\"datatype\":\"FP32\",\"shape\":[1,3],"
            + "\"parameters\":{\"binary_data_size\":12}}]}";

    assertThat(encoded.contentType()).isEqualTo("application/octet-stream");
    assertThat(encoded.headerLength()).isEqualTo(header.length());
    assertThat(new String(encoded.body(), 0, header.length(), StandardCharsets.UTF_8))
        .isEqualTo(header);
    // 0.25f = 0x3e800000, -1.5f = 0xbfc00000, 0.5f = 0x3f000000, each little-endian
    assertThat(Arrays.copyOfRange(encoded.body(), header.length(), encoded.body().length))
        .containsExactly(0, 0, 0x80, 0x3e, 0, 0, 0xc0, 0xbf, 0, 0, 0, 0x3f);
  }

  @Test
  void classificationInJsonIsStringsAndInBinaryLengthPrefixed() {
    V2ResponseEncoder.Encoded json =
        encoder.encode(answer(false, new RequestedOutput("predictions", null, 2)));
    assertThat(new String(json.body(), StandardCharsets.UTF_8))
        .contains(
            "\"datatype\":\"BYTES\",\"shape\":[1,2],\"data\":[\"0.500000:2\",\"0.250000:0:cat\"]");

    V2ResponseEncoder.Encoded binary =
        encoder.encode(answer(false, new RequestedOutput("predictions", true, 1)));
    byte[] tail = Arrays.copyOfRange(binary.body(), binary.headerLength(), binary.body().length);
    assertThat(tail).containsExactly(10, 0, 0, 0, '0', '.', '5', '0', '0', '0', '0', '0', ':', '2');
  }

  @Test
  void errorsAreAnErrorObjectWithTheirStatus() {
    V2Error notReady =
        V2Error.of(new OipException(OipStatus.UNAVAILABLE, "the service is not ready"));
    assertThat(notReady.status()).isEqualTo(503);
    assertThat(notReady.retryAfterSeconds()).contains(1L);
    assertThat(new String(notReady.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"the service is not ready\"}");

    assertThat(V2Error.of(OipStatus.INVALID, "x").status()).isEqualTo(400);
    assertThat(V2Error.of(OipStatus.INVALID, "x").retryAfterSeconds()).isEmpty();
    assertThat(V2Error.of(OipStatus.NOT_FOUND, "x").status()).isEqualTo(404);
    assertThat(V2Error.of(OipStatus.TOO_LARGE, "x").status()).isEqualTo(413);
    assertThat(V2Error.of(OipStatus.OVERLOADED, "x").status()).isEqualTo(429);
    assertThat(V2Error.of(OipStatus.OVERLOADED, "x").retryAfterSeconds()).contains(1L);
    assertThat(V2Error.of(OipStatus.UNSUPPORTED, "x").status()).isEqualTo(501);
    assertThat(V2Error.of(OipStatus.INTERNAL, "x").status()).isEqualTo(500);
    assertThat(
            new String(V2Error.of(OipStatus.INVALID, "say \"hi\"").body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"say \\\"hi\\\"\"}");
  }
}
