package dev.classifier.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.classifier.image.ImageInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The body of every successful classification: one result per uploaded image, in upload order.
 *
 * @param model which model and weights produced the scores; {@code weights} says {@code
 *     synthetic:<seed>} when the labels are meaningless
 */
public record ClassificationResponse(
    String requestId, ModelSummary model, List<ImageResult> results) {

  /** The model behind the scores. */
  public record ModelSummary(
      String name,
      String weights,
      boolean synthetic,
      String provider,
      String sha256,
      String precision) {}

  /** One image: what was received, the top classes, and where the time went. */
  public record ImageResult(ImageInfo image, List<Prediction> predictions, Timings timings) {}

  /**
   * A class and its probability; rank 1 is the most likely.
   *
   * @param wnid the label file's id column: the WordNet id for ImageNet models, null when the file
   *     has none
   * @param map where the model found the class in the image, only with {@code explain=true}
   */
  public record Prediction(
      int rank,
      int index,
      String wnid,
      String label,
      float score,
      @JsonInclude(JsonInclude.Include.NON_NULL) ExplanationMap map) {

    public Prediction(int rank, int index, String wnid, String label, float score) {
      this(rank, index, wnid, label, score, null);
    }
  }

  /**
   * The class activation map of one class on one image: {@code height × width} raw values,
   * row-major from the top-left, in the orientation of the upright image (EXIF applied), covering
   * the whole image (the model sees it squashed to a square). The mean of the values plus the
   * class's bias is its logit; {@code min} and {@code max} are given so clients can normalise.
   */
  @Schema(
      description =
          "Class activation map of one class on one image: height × width raw values, row-major from"
              + " the top-left, in the orientation of the upright image, covering the whole image."
              + " Their mean plus the class's bias is its logit; min and max are given for"
              + " normalising.")
  public record ExplanationMap(int width, int height, float min, float max, float[] values) {}

  /**
   * Milliseconds per stage for this image; {@code totalMs} runs from the request's arrival to this
   * image's result.
   *
   * @param cached true when the answer came from the result cache (the stages then did not run and
   *     are 0, batchSize too); absent otherwise
   */
  public record Timings(
      double decodeMs,
      double preprocessMs,
      double queueMs,
      double inferenceMs,
      double totalMs,
      int batchSize,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double explainMs,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean cached) {

    public Timings(
        double decodeMs,
        double preprocessMs,
        double queueMs,
        double inferenceMs,
        double totalMs,
        int batchSize,
        Double explainMs) {
      this(decodeMs, preprocessMs, queueMs, inferenceMs, totalMs, batchSize, explainMs, null);
    }

    /** An answer served from the result cache after {@code totalMs}. */
    public static Timings cached(double totalMs) {
      return new Timings(0, 0, 0, 0, totalMs, 0, null, true);
    }

    public Timings(
        double decodeMs,
        double preprocessMs,
        double queueMs,
        double inferenceMs,
        double totalMs,
        int batchSize) {
      this(decodeMs, preprocessMs, queueMs, inferenceMs, totalMs, batchSize, null);
    }
  }
}
