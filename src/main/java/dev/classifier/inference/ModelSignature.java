package dev.classifier.inference;

import dev.classifier.image.TensorLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model's declared input and outputs, checked once at start-up: what the image pipeline must
 * produce ({@code height × width × 3} in {@code layout}), how many classes each score row has, and
 * the optional feature map output that class-activation maps are computed from.
 *
 * @param inputShape as declared, -1 for a dynamic dimension (the batch)
 * @param featureOutput the output class-activation maps are computed from, when one was asked for
 *     and the model has it
 */
public record ModelSignature(
    String inputName,
    long[] inputShape,
    TensorLayout layout,
    int height,
    int width,
    String outputName,
    long[] outputShape,
    int classes,
    Optional<FeatureOutput> featureOutput) {

  /**
   * A feature-map output as declared: {@code [N, channels, height, width]} for this project's
   * models.
   */
  public record FeatureOutput(String name, long[] shape) {

    /** Floats of one image's feature map. */
    public int size() {
      long n = 1;
      for (int i = 1; i < shape.length; i++) {
        n *= shape[i];
      }
      return Math.toIntExact(n);
    }
  }

  /** Floats in one image's slice of the input tensor. */
  public int imageSize() {
    return 3 * height * width;
  }

  /**
   * Detects the layout from a rank-4 input: {@code [N,H,W,3]} is NHWC (Keras/tf2onnx), {@code
   * [N,3,H,W]} NCHW. The score output is the first {@code [N, classes]} output; a fixed-size rank-4
   * output after it is the feature map.
   *
   * @param outputs output names to shapes, in the model's order
   * @param featureName the feature-map output wanted, if any: taken when it is a fixed-size rank-4
   *     output
   * @throws IllegalArgumentException naming what the model actually declares when it does not fit
   */
  static ModelSignature detect(
      String inputName,
      long[] inputShape,
      Map<String, long[]> outputs,
      Optional<String> featureName) {
    if (inputShape.length != 4) {
      throw new IllegalArgumentException(
          "model input '"
              + inputName
              + "' has shape "
              + Arrays.toString(inputShape)
              + "; expected [N,H,W,3] (NHWC) or [N,3,H,W] (NCHW)");
    }
    TensorLayout layout;
    long height;
    long width;
    if (inputShape[3] == 3) {
      layout = TensorLayout.NHWC;
      height = inputShape[1];
      width = inputShape[2];
    } else if (inputShape[1] == 3) {
      layout = TensorLayout.NCHW;
      height = inputShape[2];
      width = inputShape[3];
    } else {
      throw new IllegalArgumentException(
          "model input '"
              + inputName
              + "' has shape "
              + Arrays.toString(inputShape)
              + "; neither dimension 1 nor 3 is 3 colour channels");
    }
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "model input '"
              + inputName
              + "' has shape "
              + Arrays.toString(inputShape)
              + "; the spatial size must be fixed");
    }
    List<Map.Entry<String, long[]>> declared = List.copyOf(outputs.entrySet());
    Map.Entry<String, long[]> scores =
        declared.stream()
            .filter(o -> o.getValue().length == 2 && o.getValue()[1] > 0)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no model output has the shape [N,classes]; outputs are "
                            + describe(declared)));
    Optional<FeatureOutput> features =
        declared.stream()
            .filter(o -> featureName.isPresent() && o.getKey().equals(featureName.get()))
            .filter(o -> o != scores && o.getValue().length == 4)
            .filter(o -> Arrays.stream(o.getValue()).skip(1).allMatch(d -> d > 0))
            .findFirst()
            .map(o -> new FeatureOutput(o.getKey(), o.getValue()));
    return new ModelSignature(
        inputName,
        inputShape,
        layout,
        (int) height,
        (int) width,
        scores.getKey(),
        scores.getValue(),
        (int) scores.getValue()[1],
        features);
  }

  private static String describe(List<Map.Entry<String, long[]>> outputs) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, long[]> output : outputs) {
      text.append(text.isEmpty() ? "" : ", ")
          .append(output.getKey())
          .append(' ')
          .append(Arrays.toString(output.getValue()));
    }
    return text.toString();
  }
}
