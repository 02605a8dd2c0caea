package dev.classifier.oip;

import java.util.Locale;

/**
 * The protocol's tensor datatypes (KServe required_api.md, "Tensor Data Types"), with their size in
 * the binary and raw forms. Every one is recognised; only {@link #FP32} and {@link #BYTES} carry
 * data in this service, and a request naming another is refused with a message that says so.
 */
public enum Datatype {
  BOOL(1),
  UINT8(1),
  UINT16(2),
  UINT32(4),
  UINT64(8),
  INT8(1),
  INT16(2),
  INT32(4),
  INT64(8),
  FP16(2),
  FP32(4),
  FP64(8),
  BF16(2),
  /** Variable size: in binary form each element is a 4-byte little-endian length and the bytes. */
  BYTES(0);

  private final int size;

  Datatype(int size) {
    this.size = size;
  }

  /** Bytes per element in binary form; 0 for BYTES, whose elements vary. */
  public int size() {
    return size;
  }

  /**
   * The smallest number of bytes one element takes in binary form: what bounds how many elements a
   * body of a given size can carry.
   */
  public int minimumBinarySize() {
    return this == BYTES ? Integer.BYTES : size;
  }

  /**
   * @throws OipException 400 for a name the protocol does not define, 400 naming the supported ones
   *     for a defined but unsupported one
   */
  public static Datatype parseSupported(String name) {
    Datatype datatype = parse(name);
    if (datatype != FP32 && datatype != BYTES) {
      throw OipException.invalid(
          "datatype '" + name + "' is not supported; this service takes FP32 and BYTES tensors");
    }
    return datatype;
  }

  /**
   * @throws OipException 400 for a name the protocol does not define
   */
  public static Datatype parse(String name) {
    if (name == null) {
      throw OipException.invalid("a tensor has no 'datatype'");
    }
    for (Datatype datatype : values()) {
      if (datatype.name().equals(name)) {
        return datatype;
      }
    }
    throw OipException.invalid(
        "unknown datatype '" + Text.clip(name) + "'" + hint(name.toUpperCase(Locale.ROOT)));
  }

  private static String hint(String upper) {
    for (Datatype datatype : values()) {
      if (datatype.name().equals(upper)) {
        return " (datatypes are upper case: " + upper + ")";
      }
    }
    return "";
  }
}
