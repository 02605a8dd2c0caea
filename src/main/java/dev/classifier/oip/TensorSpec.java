package dev.classifier.oip;

import java.util.Arrays;

/**
 * A tensor a V2 model declares, as its metadata shows it.
 *
 * @param shape with -1 for the batch dimension
 */
public record TensorSpec(String name, Datatype datatype, long[] shape) {

  public TensorSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The shape without the batch dimension, as Triton's model configuration states dims. */
  public long[] dims() {
    return Arrays.copyOfRange(shape, 1, shape.length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec that
        && name.equals(that.name)
        && datatype == that.datatype
        && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + datatype + " " + Arrays.toString(shape);
  }
}
