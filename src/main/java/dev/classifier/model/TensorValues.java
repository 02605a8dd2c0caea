package dev.classifier.model;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Numbers out of ONNX initializers, in either of the encodings the format allows (little-endian
 * {@code raw_data}, or the typed repeated fields: floats in {@code float_data}, 8- and 32-bit
 * integers in {@code int32_data}), and DequantizeLinear applied to them.
 */
final class TensorValues {

  private TensorValues() {}

  static long size(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /**
   * @throws IllegalArgumentException when the tensor is not float or its data does not fit its
   *     shape
   */
  static float[] floats(TensorProto tensor) {
    if (tensor.getDataType() != DataType.FLOAT_VALUE) {
      throw new IllegalArgumentException(
          "'" + tensor.getName() + "' is " + typeName(tensor.getDataType()) + ", not float");
    }
    int n = count(tensor);
    float[] values = new float[n];
    if (!tensor.getRawData().isEmpty()) {
      requireBytes(tensor, n * 4L);
      tensor
          .getRawData()
          .asReadOnlyByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values);
    } else {
      requireValues(tensor, tensor.getFloatDataCount(), n);
      for (int i = 0; i < n; i++) {
        values[i] = tensor.getFloatData(i);
      }
    }
    return values;
  }

  /** Integer tensor values as stored (int8, uint8 or int32), widened to int. */
  static int[] integers(TensorProto tensor) {
    int type = tensor.getDataType();
    int n = count(tensor);
    int[] values = new int[n];
    if (!tensor.getRawData().isEmpty()) {
      ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      switch (type) {
        case DataType.INT8_VALUE -> {
          requireBytes(tensor, n);
          for (int i = 0; i < n; i++) {
            values[i] = raw.get(i);
          }
        }
        case DataType.UINT8_VALUE -> {
          requireBytes(tensor, n);
          for (int i = 0; i < n; i++) {
            values[i] = raw.get(i) & 0xFF;
          }
        }
        case DataType.INT32_VALUE -> {
          requireBytes(tensor, n * 4L);
          raw.asIntBuffer().get(values);
        }
        default -> throw unsupportedType(tensor);
      }
    } else {
      if (type != DataType.INT8_VALUE
          && type != DataType.UINT8_VALUE
          && type != DataType.INT32_VALUE) {
        throw unsupportedType(tensor);
      }
      // int8 and uint8 are stored one per int32_data element when not raw.
      requireValues(tensor, tensor.getInt32DataCount(), n);
      for (int i = 0; i < n; i++) {
        values[i] = tensor.getInt32Data(i);
      }
    }
    return values;
  }

  /**
   * DequantizeLinear: {@code y = (x - zeroPoint) * scale}, per tensor (scalar scale) or per axis (a
   * scale per index along {@code axis}).
   *
   * @param zeroPoint null for the default zero point 0
   */
  static float[] dequantize(TensorProto x, TensorProto scale, TensorProto zeroPoint, int axis) {
    int[] q = integers(x);
    float[] s = floats(scale);
    int[] z = zeroPoint != null ? integers(zeroPoint) : new int[s.length];
    if (z.length != s.length) {
      throw new IllegalArgumentException(
          "zero point of '"
              + x.getName()
              + "' has "
              + z.length
              + " values for "
              + s.length
              + " scales");
    }
    long[] dims = x.getDimsList().stream().mapToLong(Long::longValue).toArray();
    // The number of elements sharing one scale index (inner), and the scale index's extent.
    long inner = 1;
    long extent = 1;
    if (s.length != 1) {
      int a = axis < 0 ? axis + dims.length : axis;
      if (a < 0 || a >= dims.length || dims[a] != s.length) {
        throw new IllegalArgumentException(
            "'"
                + x.getName()
                + "' of shape "
                + java.util.Arrays.toString(dims)
                + " has "
                + s.length
                + " scales along axis "
                + axis);
      }
      extent = dims[a];
      for (int d = a + 1; d < dims.length; d++) {
        inner *= dims[d];
      }
    }
    float[] y = new float[q.length];
    for (int i = 0; i < q.length; i++) {
      int j = s.length == 1 ? 0 : (int) ((i / inner) % extent);
      y[i] = (q[i] - z[j]) * s[j];
    }
    return y;
  }

  private static int count(TensorProto tensor) {
    if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException(
          "'" + tensor.getName() + "' is stored outside the model file (external data)");
    }
    long n = 1;
    for (long d : tensor.getDimsList()) {
      if (d < 0) {
        throw new IllegalArgumentException("'" + tensor.getName() + "' has a negative dimension");
      }
      n *= d;
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("'" + tensor.getName() + "' is too large");
      }
    }
    return (int) n;
  }

  private static void requireBytes(TensorProto tensor, long bytes) {
    if (tensor.getRawData().size() != bytes) {
      throw new IllegalArgumentException(
          "'"
              + tensor.getName()
              + "' holds "
              + tensor.getRawData().size()
              + " bytes, its shape needs "
              + bytes);
    }
  }

  private static void requireValues(TensorProto tensor, int found, int needed) {
    if (found != needed) {
      throw new IllegalArgumentException(
          "'" + tensor.getName() + "' holds " + found + " values, its shape needs " + needed);
    }
  }

  private static IllegalArgumentException unsupportedType(TensorProto tensor) {
    return new IllegalArgumentException(
        "'"
            + tensor.getName()
            + "' is "
            + typeName(tensor.getDataType())
            + "; only int8, uint8 and int32 are dequantized");
  }

  static String typeName(int dataType) {
    DataType type = DataType.forNumber(dataType);
    return type != null ? type.name().toLowerCase(java.util.Locale.ROOT) : "type " + dataType;
  }
}
