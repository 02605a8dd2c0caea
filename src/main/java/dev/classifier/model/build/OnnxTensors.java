package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads float initializers and writes the quantized ones (raw little-endian data, as ONNX says).
 */
final class OnnxTensors {

  private OnnxTensors() {}

  static long[] dims(TensorProto tensor) {
    return tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The values of a float initializer, stored either as raw data or as {@code float_data}.
   *
   * @throws IllegalArgumentException for another element type or external data
   */
  static float[] floats(TensorProto tensor) {
    if (tensor.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
      throw new IllegalArgumentException("initializer " + tensor.getName() + " is not float");
    }
    if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException(
          "initializer " + tensor.getName() + " keeps its data in an external file");
    }
    if (!tensor.getRawData().isEmpty()) {
      float[] values = new float[tensor.getRawData().size() / Float.BYTES];
      tensor
          .getRawData()
          .asReadOnlyByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values);
      return values;
    }
    float[] values = new float[tensor.getFloatDataCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.getFloatData(i);
    }
    return values;
  }

  static TensorProto floats(String name, long[] dims, float[] values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return tensor(name, TensorProto.DataType.FLOAT, dims, bytes.array());
  }

  static TensorProto int8(String name, long[] dims, byte[] values) {
    return tensor(name, TensorProto.DataType.INT8, dims, values);
  }

  static TensorProto uint8(String name, long[] dims, byte[] values) {
    return tensor(name, TensorProto.DataType.UINT8, dims, values);
  }

  static TensorProto int32(String name, long[] dims, int[] values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asIntBuffer().put(values);
    return tensor(name, TensorProto.DataType.INT32, dims, bytes.array());
  }

  private static TensorProto tensor(
      String name, TensorProto.DataType type, long[] dims, byte[] raw) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    return t.setRawData(UnsafeByteOperations.unsafeWrap(raw)).build();
  }
}
