package dev.classifier.oip;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One model as the Open Inference Protocol sees it: exactly one input and one output (Triton's
 * image clients require it), a batch dimension of -1, and the rules a request for it must follow.
 *
 * @param kind whether the input is the model's own tensor or encoded image files
 * @param format how Triton's model configuration describes the input's layout
 * @param maxBatchSize the most batch entries one request may carry
 * @param labels class names by index, for the classification extension
 * @param labelFile the label file's name, for Triton's model configuration
 */
public record V2Model(
    String name,
    String version,
    Kind kind,
    TensorSpec input,
    TensorSpec output,
    Format format,
    int maxBatchSize,
    List<String> labels,
    String labelFile) {

  /** The platform model metadata reports: the models run on ONNX Runtime. */
  public static final String PLATFORM = "onnx_onnxv1";

  /** What the model's one input is. */
  public enum Kind {
    /** The model's own input tensor, preprocessed by the client. */
    TENSOR,
    /** Encoded image files, one per batch entry, decoded and preprocessed as /v1 does. */
    IMAGE
  }

  /** Triton's ModelInput.Format. */
  public enum Format {
    FORMAT_NONE,
    FORMAT_NHWC,
    FORMAT_NCHW
  }

  public V2Model {
    labels = List.copyOf(labels);
  }

  /** The versions this model answers to; the protocol lets a client name one or none. */
  public List<String> versions() {
    return List.of(version);
  }

  /**
   * Checks a decoded request against this model: one input with the model's name and datatype, a
   * shape matching the declared one outside the batch dimension, a batch of 1 to {@link
   * #maxBatchSize}, requested outputs that exist, each once, and classification counts that are not
   * negative.
   *
   * @return the request's batch size
   * @throws OipException 400 naming what differs
   */
  public int check(InferRequest request) {
    if (request.inputs().size() != 1) {
      throw OipException.invalid(
          "model '"
              + name
              + "' takes exactly one input, '"
              + input.name()
              + "'; the request has "
              + request.inputs().size());
    }
    InputTensor tensor = request.inputs().get(0);
    if (!tensor.name().equals(input.name())) {
      throw OipException.invalid(
          "model '"
              + name
              + "' has no input '"
              + Text.clip(tensor.name())
              + "'; its input is '"
              + input.name()
              + "'");
    }
    if (tensor.datatype() != input.datatype()) {
      throw OipException.invalid(
          "input '"
              + input.name()
              + "' is "
              + input.datatype()
              + "; the request sends "
              + tensor.datatype());
    }
    long[] declared = input.shape();
    long[] shape = tensor.shape();
    boolean fits = shape.length == declared.length;
    for (int i = 1; fits && i < shape.length; i++) {
      fits = declared[i] < 0 || declared[i] == shape[i];
    }
    if (!fits) {
      throw OipException.invalid(
          "input '"
              + input.name()
              + "' has shape "
              + input
              + "; the request sends "
              + java.util.Arrays.toString(shape));
    }
    long batch = shape.length == 0 ? 0 : shape[0];
    if (batch < 1 || batch > maxBatchSize) {
      throw OipException.invalid(
          "input '"
              + input.name()
              + "' carries a batch of "
              + batch
              + "; model '"
              + name
              + "' takes 1 to "
              + maxBatchSize);
    }
    Set<String> seen = new HashSet<>();
    for (RequestedOutput requested : request.outputs()) {
      if (!requested.name().equals(output.name())) {
        throw OipException.invalid(
            "model '"
                + name
                + "' has no output '"
                + Text.clip(requested.name())
                + "'; its output is '"
                + output.name()
                + "'");
      }
      if (!seen.add(requested.name())) {
        throw OipException.invalid("output '" + output.name() + "' is requested twice");
      }
      if (requested.classification() < 0) {
        throw OipException.invalid(
            "output '" + output.name() + "' asks for a negative classification count");
      }
    }
    return (int) batch;
  }
}
