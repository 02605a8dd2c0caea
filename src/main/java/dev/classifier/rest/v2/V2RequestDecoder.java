package dev.classifier.rest.v2;

import dev.classifier.oip.BytesElements;
import dev.classifier.oip.Datatype;
import dev.classifier.oip.InferRequest;
import dev.classifier.oip.InputTensor;
import dev.classifier.oip.OipException;
import dev.classifier.oip.OipLimits;
import dev.classifier.oip.RequestedOutput;
import dev.classifier.oip.TensorData;
import dev.classifier.oip.Text;
import dev.classifier.oip.V2Model;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * Decodes a V2 REST inference request body (KServe required_api.md, "Inference Request JSON
 * Object") with Triton's binary tensor data extension: a JSON header of {@code
 * Inference-Header-Content-Length} bytes followed by each binary input's {@code binary_data_size}
 * bytes in order, or, with a header length of 0, the whole body as the model's one input. Unknown
 * fields are skipped (KServe's client adds {@code model_name}). The JSON is read as a token stream
 * under Jackson's read constraints (nesting, string and number lengths), so nothing a request
 * declares is allocated before it is checked against {@link OipLimits}; every size is checked
 * against the body. Throws {@link OipException} and nothing else for any body.
 */
public final class V2RequestDecoder {

  private final OipLimits limits;
  private final V2JsonFields fields;
  private final JsonFactory json;

  public V2RequestDecoder(OipLimits limits) {
    this.limits = limits;
    this.fields = new V2JsonFields(limits);
    int maxString = (int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes());
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxJsonDepth())
                    .maxDocumentLength(limits.maxBytes())
                    .maxStringLength(maxString)
                    .maxNameLength(1024)
                    .maxNumberLength(64)
                    .build())
            .build();
  }

  /**
   * The {@code Inference-Header-Content-Length} header's value.
   *
   * @return -1 when absent (the body is all JSON)
   * @throws OipException 400 when it is not a non-negative decimal number
   */
  public static long headerLength(String header) {
    if (header == null) {
      return -1;
    }
    String text = header.strip();
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
      throw OipException.invalid(
          "Inference-Header-Content-Length '" + Text.clip(header) + "' is not a byte count");
    }
    return Long.parseLong(text);
  }

  /**
   * @param body the request body, {@code length} bytes from 0, already within the upload limit
   * @param headerLength from {@link #headerLength}
   */
  public InferRequest decode(
      V2Model model, String version, byte[] body, int length, long headerLength) {
    if (length > limits.maxBytes()) {
      throw OipException.tooLarge(
          "the request body has " + length + " bytes; at most " + limits.maxBytes());
    }
    if (headerLength == 0) {
      return V2RawRequest.of(model, version, body, length);
    }
    if (headerLength > length) {
      throw OipException.invalid(
          "Inference-Header-Content-Length is "
              + headerLength
              + " but the body has only "
              + length
              + " bytes");
    }
    int jsonLength = headerLength < 0 ? length : (int) headerLength;
    Binary binary = new Binary(body, jsonLength, length);
    InferRequest request;
    try (JsonParser parser = json.createParser(ObjectReadContext.empty(), body, 0, jsonLength)) {
      request = request(parser, model, version, binary);
      if (parser.nextToken() != null) {
        throw OipException.invalid("the JSON header has data after its object");
      }
    } catch (JacksonException e) {
      throw OipException.invalid(
          "the request is not valid JSON: " + Text.clip(e.getOriginalMessage()));
    }
    if (binary.offset != length) {
      throw OipException.invalid(
          "the inputs' binary_data_size add up to "
              + (binary.offset - jsonLength)
              + " bytes; the body has "
              + (length - jsonLength)
              + " after the JSON header");
    }
    return request;
  }

  /** The binary section after the JSON header, handed out in order. */
  private static final class Binary {
    final byte[] body;
    final int end;
    int offset;

    Binary(byte[] body, int start, int end) {
      this.body = body;
      this.offset = start;
      this.end = end;
    }
  }

  private InferRequest request(JsonParser parser, V2Model model, String version, Binary binary) {
    fields.expect(parser.nextToken(), JsonToken.START_OBJECT, "the request");
    String id = "";
    boolean binaryOutput = false;
    List<InputTensor> inputs = new ArrayList<>();
    List<RequestedOutput> outputs = new ArrayList<>();
    long budget = limits.maxBytes();
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "id" -> id = fields.string(parser, value, "id");
        case "parameters" -> binaryOutput = fields.requestParameters(parser, value);
        case "inputs" -> {
          fields.expect(value, JsonToken.START_ARRAY, "'inputs'");
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (inputs.size() == limits.maxTensors()) {
              throw tooManyTensors("inputs", model);
            }
            InputTensor input = input(parser, binary, budget);
            budget -= bytes(input);
            inputs.add(input);
          }
        }
        case "outputs" -> {
          fields.expect(value, JsonToken.START_ARRAY, "'outputs'");
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (outputs.size() == limits.maxTensors()) {
              throw tooManyTensors("outputs", model);
            }
            outputs.add(output(parser));
          }
        }
        default -> parser.skipChildren();
      }
    }
    if (inputs.isEmpty()) {
      throw OipException.invalid("the request has no 'inputs'");
    }
    return new InferRequest(model.name(), version, id, binaryOutput, inputs, outputs);
  }

  private InputTensor input(JsonParser parser, Binary binary, long budget) {
    fields.expect(parser.currentToken(), JsonToken.START_OBJECT, "an input");
    String name = null;
    String datatypeName = null;
    long[] shape = null;
    long binarySize = -1;
    JsonTensorData.Values data = null;
    OipLimits tensorLimits =
        new OipLimits(budget, limits.maxTensors(), limits.maxRank(), limits.maxParameters());
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "name" -> name = fields.string(parser, value, "an input's 'name'");
        case "datatype" -> datatypeName = fields.string(parser, value, "an input's 'datatype'");
        case "shape" -> shape = fields.shape(parser, value);
        case "parameters" -> binarySize = fields.inputParameters(parser, value);
        case "data" ->
            data =
                JsonTensorData.read(
                    parser,
                    name == null ? "?" : Text.clip(name),
                    tensorLimits.maxElements(Datatype.FP32),
                    limits.maxRank());
        default -> parser.skipChildren();
      }
    }
    if (name == null) {
      throw OipException.invalid("an input has no 'name'");
    }
    if (shape == null) {
      throw OipException.invalid("input '" + Text.clip(name) + "' has no 'shape'");
    }
    Datatype datatype = Datatype.parseSupported(datatypeName);
    int elements = tensorLimits.elements(name, shape, datatype);
    TensorData tensor;
    if (binarySize >= 0) {
      if (data != null) {
        throw OipException.invalid(
            "input '" + Text.clip(name) + "' has both 'data' and binary_data_size");
      }
      if (binarySize > binary.end - binary.offset) {
        throw OipException.invalid(
            "input '"
                + Text.clip(name)
                + "' has binary_data_size "
                + binarySize
                + "; only "
                + (binary.end - binary.offset)
                + " bytes of binary data remain");
      }
      tensor =
          BytesElements.decode(
              name, datatype, binary.body, binary.offset, (int) binarySize, elements);
      binary.offset += (int) binarySize;
    } else {
      tensor = JsonTensorData.tensor(name, datatype, data, elements);
    }
    return new InputTensor(name, datatype, shape, tensor);
  }

  private RequestedOutput output(JsonParser parser) {
    fields.expect(parser.currentToken(), JsonToken.START_OBJECT, "an output");
    String name = null;
    Boolean binary = null;
    long classification = 0;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("name")) {
        name = fields.string(parser, value, "an output's 'name'");
      } else if (field.equals("parameters")) {
        V2JsonFields.OutputParameters parameters = fields.outputParameters(parser, value);
        binary = parameters.binary();
        classification = parameters.classification();
      } else {
        parser.skipChildren();
      }
    }
    if (name == null) {
      throw OipException.invalid("an output has no 'name'");
    }
    if (classification < 0 || classification > Integer.MAX_VALUE) {
      throw OipException.invalid(
          "output '" + Text.clip(name) + "' has classification " + classification);
    }
    return new RequestedOutput(name, binary, (int) classification);
  }

  private static long bytes(InputTensor input) {
    if (input.data() instanceof TensorData.Bytes bytes) {
      long total = 0;
      for (byte[] element : bytes.elements()) {
        total += Integer.BYTES + element.length;
      }
      return total;
    }
    return (long) input.data().count() * Float.BYTES;
  }

  private OipException tooManyTensors(String what, V2Model model) {
    return OipException.invalid(
        "the request has more than "
            + limits.maxTensors()
            + " "
            + what
            + "; model '"
            + model.name()
            + "' has one");
  }
}
