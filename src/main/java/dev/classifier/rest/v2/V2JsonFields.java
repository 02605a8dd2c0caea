package dev.classifier.rest.v2;

import dev.classifier.oip.OipException;
import dev.classifier.oip.OipLimits;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads the typed values of one V2 request's JSON (strings, booleans, integers, shapes and the
 * {@code parameters} objects of the request, an input and an output), refusing a wrong type and
 * anything past the request limits before it is kept.
 */
final class V2JsonFields {

  /** An output's parameters: binary_data (null when not given) and its classification count. */
  record OutputParameters(Boolean binary, long classification) {}

  private final OipLimits limits;

  V2JsonFields(OipLimits limits) {
    this.limits = limits;
  }

  OutputParameters outputParameters(JsonParser parser, JsonToken value) {
    Boolean[] binary = {null};
    long[] classification = {0};
    eachParameter(
        parser,
        value,
        "an output's 'parameters'",
        (parameter, parameterValue) -> {
          switch (parameter) {
            case "binary_data" -> binary[0] = bool(parser, parameterValue, "binary_data");
            case "classification" ->
                classification[0] = integer(parser, parameterValue, "classification");
            default -> {
              return false;
            }
          }
          return true;
        });
    return new OutputParameters(binary[0], classification[0]);
  }

  /** The request's parameters: whether binary_data_output asks for binary outputs. */
  boolean requestParameters(JsonParser parser, JsonToken value) {
    boolean[] binaryOutput = {false};
    eachParameter(
        parser,
        value,
        "'parameters'",
        (parameter, parameterValue) -> {
          if (!parameter.equals("binary_data_output")) {
            return false;
          }
          binaryOutput[0] = bool(parser, parameterValue, "binary_data_output");
          return true;
        });
    return binaryOutput[0];
  }

  /** An input's parameters: its binary_data_size, or -1. */
  long inputParameters(JsonParser parser, JsonToken value) {
    long[] binarySize = {-1};
    eachParameter(
        parser,
        value,
        "an input's 'parameters'",
        (parameter, parameterValue) -> {
          if (!parameter.equals("binary_data_size")) {
            return false;
          }
          binarySize[0] = integer(parser, parameterValue, "binary_data_size");
          if (binarySize[0] < 0) {
            throw OipException.invalid("binary_data_size " + binarySize[0] + " is negative");
          }
          return true;
        });
    return binarySize[0];
  }

  /** Reads one entry of a {@code parameters} object; false for one it does not know. */
  private interface ParameterReader {
    boolean read(String parameter, JsonToken value);
  }

  /**
   * Walks a {@code parameters} object within the entry limit, handing each entry to {@code reader};
   * what it does not read is skipped whole.
   */
  private void eachParameter(
      JsonParser parser, JsonToken value, String what, ParameterReader reader) {
    expect(value, JsonToken.START_OBJECT, what);
    int entries = 0;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      parameterCount(++entries);
      String parameter = parser.currentName();
      if (!reader.read(parameter, parser.nextToken())) {
        parser.skipChildren();
      }
    }
  }

  long[] shape(JsonParser parser, JsonToken value) {
    expect(value, JsonToken.START_ARRAY, "'shape'");
    long[] shape = new long[limits.maxRank()];
    int rank = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (rank == shape.length) {
        throw OipException.invalid("a 'shape' has more than " + limits.maxRank() + " dimensions");
      }
      shape[rank++] = integer(parser, parser.currentToken(), "a 'shape' dimension");
    }
    return java.util.Arrays.copyOf(shape, rank);
  }

  private void parameterCount(int entries) {
    if (entries > limits.maxParameters()) {
      throw OipException.invalid(
          "a 'parameters' object has more than " + limits.maxParameters() + " entries");
    }
  }

  void expect(JsonToken actual, JsonToken expected, String what) {
    if (actual != expected) {
      throw OipException.invalid(
          what + " must be " + (expected == JsonToken.START_OBJECT ? "an object" : "an array"));
    }
  }

  String string(JsonParser parser, JsonToken value, String what) {
    if (value != JsonToken.VALUE_STRING) {
      throw OipException.invalid(what + " must be a string");
    }
    return parser.getString();
  }

  private boolean bool(JsonParser parser, JsonToken value, String what) {
    if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
      throw OipException.invalid(what + " must be true or false");
    }
    return value == JsonToken.VALUE_TRUE;
  }

  long integer(JsonParser parser, JsonToken value, String what) {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw OipException.invalid(what + " must be an integer");
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw OipException.invalid(what + " is out of range");
    }
    return parser.getLongValue();
  }
}
