package dev.classifier.rest.v2;

import dev.classifier.oip.Datatype;
import dev.classifier.oip.OipException;
import dev.classifier.oip.TensorData;
import dev.classifier.oip.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one input's JSON {@code data}, flat or nested to the tensor's rank, into row-major
 * elements: numbers (for FP32) or base64 strings (BYTES; the and KServe's samples' choice
 * for image files). Growth is capped before it happens: at most {@code maxElements} elements and
 * {@code maxDepth} levels of nesting, whatever the shape says.
 */
final class JsonTensorData {

  /** What the array held. */
  sealed interface Values {}

  record Numbers(float[] values, int count) implements Values {}

  record Strings(List<byte[]> values) implements Values {}

  private final String tensor;
  private final int maxElements;
  private final int maxDepth;
  private float[] numbers = new float[16];
  private List<byte[]> strings;
  private int count;

  private JsonTensorData(String tensor, int maxElements, int maxDepth) {
    this.tensor = tensor;
    this.maxElements = maxElements;
    this.maxDepth = maxDepth;
  }

  /**
   * @param parser positioned on the {@code data} value
   * @throws OipException 400 for a mix of numbers and strings, other values, bad base64 or nesting
   *     past {@code maxDepth}; 413 past {@code maxElements}
   */
  static Values read(JsonParser parser, String tensor, int maxElements, int maxDepth) {
    JsonTensorData data = new JsonTensorData(tensor, maxElements, maxDepth);
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw OipException.invalid("input '" + tensor + "' has 'data' that is not an array");
    }
    data.array(parser, 1);
    return data.strings != null
        ? new Strings(data.strings)
        : new Numbers(Arrays.copyOf(data.numbers, data.count), data.count);
  }

  private void array(JsonParser parser, int depth) {
    if (depth > maxDepth) {
      throw OipException.invalid(
          "input '" + tensor + "' has 'data' nested deeper than " + maxDepth + " levels");
    }
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      if (token == JsonToken.START_ARRAY) {
        array(parser, depth + 1);
      } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        number(parser.getFloatValue());
      } else if (token == JsonToken.VALUE_STRING) {
        string(parser);
      } else {
        throw OipException.invalid(
            "input '" + tensor + "' has 'data' holding " + token + "; numbers or strings only");
      }
    }
  }

  private void number(float value) {
    if (strings != null) {
      throw mixed();
    }
    room();
    if (count == numbers.length) {
      numbers = Arrays.copyOf(numbers, (int) Math.min((long) count * 2, maxElements));
    }
    numbers[count++] = value;
  }

  private void string(JsonParser parser) {
    if (count > 0 && strings == null) {
      throw mixed();
    }
    if (strings == null) {
      strings = new ArrayList<>();
      numbers = null;
    }
    room();
    byte[] decoded;
    try {
      decoded = parser.getBinaryValue();
    } catch (JacksonException e) {
      throw OipException.invalid(
          "input '" + tensor + "' element " + count + " is not valid base64");
    }
    strings.add(decoded);
    count++;
  }

  private void room() {
    if (count >= maxElements) {
      throw OipException.tooLarge(
          "input '" + tensor + "' has more than " + maxElements + " elements in 'data'");
    }
  }

  private OipException mixed() {
    return OipException.invalid("input '" + tensor + "' mixes numbers and strings in 'data'");
  }

  /**
   * The tensor {@code data} of an input declared {@code datatype} holds: numbers for FP32, base64
   * strings for BYTES, exactly as many as its shape says.
   */
  static TensorData tensor(
      String name, Datatype datatype, JsonTensorData.Values data, int elements) {
    if (data == null) {
      throw OipException.invalid(
          "input '" + Text.clip(name) + "' has neither 'data' nor binary_data_size");
    }
    TensorData tensor;
    if (datatype == Datatype.FP32 && data instanceof JsonTensorData.Numbers numbers) {
      tensor = new TensorData.Fp32(numbers.values());
    } else if (datatype == Datatype.BYTES && data instanceof JsonTensorData.Strings strings) {
      tensor = new TensorData.Bytes(strings.values());
    } else if (data instanceof JsonTensorData.Numbers numbers && numbers.count() == 0) {
      tensor = new TensorData.Bytes(List.of());
    } else {
      throw OipException.invalid(
          "input '"
              + Text.clip(name)
              + "' is "
              + datatype
              + (datatype == Datatype.FP32
                  ? "; its 'data' must be numbers"
                  : "; its 'data' must be base64 strings"));
    }
    return tensor.matchingShape(name, elements, "in 'data'");
  }
}
