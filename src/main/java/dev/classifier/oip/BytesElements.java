package dev.classifier.oip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of BYTES and FP32 tensors, shared by the HTTP binary extension and gRPC's raw
 * contents: little-endian, row-major; a BYTES element is a 4-byte unsigned little-endian length and
 * that many bytes (Triton, extension_binary_data.md).
 */
public final class BytesElements {

  private BytesElements() {}

  /**
   * Decodes {@code length} bytes at {@code offset} as exactly {@code count} elements.
   *
   * @throws OipException 400 when the bytes do not hold exactly that many elements, or a length
   *     prefix runs past them
   */
  public static TensorData decode(
      String tensor, Datatype datatype, byte[] buffer, int offset, int length, int count) {
    ByteBuffer bytes = ByteBuffer.wrap(buffer, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    if (datatype == Datatype.FP32) {
      if ((long) count * Float.BYTES != length) {
        throw OipException.invalid(
            "tensor '"
                + Text.clip(tensor)
                + "' has "
                + length
                + " bytes of data; its shape needs "
                + (long) count * Float.BYTES);
      }
      float[] values = new float[count];
      bytes.asFloatBuffer().get(values);
      return new TensorData.Fp32(values);
    }
    if (datatype != Datatype.BYTES) {
      throw new IllegalArgumentException(datatype.name());
    }
    // Each element takes at least its 4-byte prefix, so count <= length / 4 bounds the list.
    if (count > length / Integer.BYTES) {
      throw OipException.invalid(
          "tensor '"
              + Text.clip(tensor)
              + "' has "
              + length
              + " bytes of data; too few for "
              + count
              + " BYTES elements");
    }
    List<byte[]> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (bytes.remaining() < Integer.BYTES) {
        throw OipException.invalid(
            "tensor '" + Text.clip(tensor) + "' ends inside the length of element " + i);
      }
      long size = Integer.toUnsignedLong(bytes.getInt());
      if (size > bytes.remaining()) {
        throw OipException.invalid(
            "tensor '"
                + Text.clip(tensor)
                + "' element "
                + i
                + " declares "
                + size
                + " bytes; only "
                + bytes.remaining()
                + " follow");
      }
      byte[] element = new byte[(int) size];
      bytes.get(element);
      elements.add(element);
    }
    if (bytes.hasRemaining()) {
      throw OipException.invalid(
          "tensor '"
              + Text.clip(tensor)
              + "' has "
              + bytes.remaining()
              + " bytes after its "
              + count
              + " elements");
    }
    return new TensorData.Bytes(elements);
  }

  /** The binary form of a tensor's elements. */
  public static byte[] encode(TensorData data) {
    if (data instanceof TensorData.Fp32 fp32) {
      ByteBuffer bytes =
          ByteBuffer.allocate(fp32.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(fp32.values());
      return bytes.array();
    }
    List<byte[]> elements = ((TensorData.Bytes) data).elements();
    long size = 0;
    for (byte[] element : elements) {
      size += Integer.BYTES + element.length;
    }
    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] element : elements) {
      bytes.putInt(element.length).put(element);
    }
    return bytes.array();
  }
}
