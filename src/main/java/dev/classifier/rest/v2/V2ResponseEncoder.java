package dev.classifier.rest.v2;

import dev.classifier.oip.BytesElements;
import dev.classifier.oip.InferResponse;
import dev.classifier.oip.OutputTensor;
import dev.classifier.oip.TensorData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a V2 REST inference response (KServe required_api.md, "Inference Response JSON Object"):
 * {@code model_name}, {@code model_version}, {@code id} when the request had one, and {@code
 * outputs}, nothing else (Triton's Java client rejects unknown fields). An output flagged binary
 * goes after the JSON in Triton's binary form with its {@code binary_data_size}, and the response
 * then carries {@code Inference-Header-Content-Length}. BYTES outputs in JSON are strings: the only
 * ones this service answers are classification strings, which are text.
 */
public final class V2ResponseEncoder {

  /** The binary extension's header, on requests and responses. */
  public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private final JsonFactory json = JsonFactory.builder().build();

  /**
   * An encoded response.
   *
   * @param headerLength the JSON header's length for {@code Inference-Header-Content-Length}, or -1
   *     when the body is all JSON
   */
  public record Encoded(byte[] body, int headerLength) {

    public String contentType() {
      return headerLength < 0 ? "application/json" : "application/octet-stream";
    }
  }

  public Encoded encode(InferResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<byte[]> binary = new ArrayList<>();
    try (JsonGenerator generator = json.createGenerator(ObjectWriteContext.empty(), out)) {
      generator.writeStartObject();
      generator.writeStringProperty("model_name", response.model());
      generator.writeStringProperty("model_version", response.version());
      if (!response.id().isEmpty()) {
        generator.writeStringProperty("id", response.id());
      }
      generator.writeArrayPropertyStart("outputs");
      for (int i = 0; i < response.outputs().size(); i++) {
        OutputTensor output = response.outputs().get(i);
        generator.writeStartObject();
        generator.writeStringProperty("name", output.name());
        generator.writeStringProperty("datatype", output.datatype().name());
        generator.writeName("shape");
        generator.writeArray(output.shape(), 0, output.shape().length);
        if (response.binaryOutputs().get(i)) {
          byte[] data = BytesElements.encode(output.data());
          binary.add(data);
          generator.writeObjectPropertyStart("parameters");
          generator.writeNumberProperty("binary_data_size", data.length);
          generator.writeEndObject();
        } else {
          generator.writeName("data");
          data(generator, output.data());
        }
        generator.writeEndObject();
      }
      generator.writeEndArray();
      generator.writeEndObject();
    }
    if (binary.isEmpty()) {
      return new Encoded(out.toByteArray(), -1);
    }
    int headerLength = out.size();
    for (byte[] data : binary) {
      out.writeBytes(data);
    }
    return new Encoded(out.toByteArray(), headerLength);
  }

  private static void data(JsonGenerator generator, TensorData data) {
    generator.writeStartArray();
    if (data instanceof TensorData.Fp32 fp32) {
      for (float value : fp32.values()) {
        generator.writeNumber(value);
      }
    } else {
      for (byte[] element : ((TensorData.Bytes) data).elements()) {
        generator.writeString(new String(element, StandardCharsets.UTF_8));
      }
    }
    generator.writeEndArray();
  }
}
