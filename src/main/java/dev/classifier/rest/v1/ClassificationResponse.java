package dev.classifier.rest.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.classifier.core.Classification;
import dev.classifier.explain.ActivationMap;
import dev.classifier.image.ImageInfo;
import dev.classifier.inference.ModelInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of every successful classification: one result per uploaded image, in upload order.
 *
 * @param model which model and weights produced the scores; {@code weights} says {@code
 *     synthetic:<seed>} when the labels are meaningless
 */
public record ClassificationResponse(
    String requestId, ModelSummary model, List<ImageResult> results) {

  /** The core's classification in the /v1 shape: ranks from 1, labels split into id and name. */
  static ClassificationResponse of(String requestId, Classification classification) {
    List<ImageResult> results = new ArrayList<>(classification.results().size());
    for (Classification.ImageResult result : classification.results()) {
      List<Prediction> predictions = new ArrayList<>(result.top().size());
      for (int rank = 0; rank < result.top().size(); rank++) {
        Classification.Prediction best = result.top().get(rank);
        predictions.add(
            new Prediction(
                rank + 1,
                best.index(),
                best.label().id(),
                best.label().name(),
                best.score(),
                best.map() == null ? null : ExplanationMap.of(best.map())));
      }
      Classification.Timings t = result.timings();
      results.add(
          new ImageResult(
              result.image(),
              predictions,
              new Timings(
                  t.decodeMs(),
                  t.preprocessMs(),
                  t.queueMs(),
                  t.inferenceMs(),
                  t.totalMs(),
                  t.batchSize(),
                  t.explainMs(),
                  t.cached() ? Boolean.TRUE : null)));
    }
    return new ClassificationResponse(requestId, ModelSummary.of(classification.model()), results);
  }

  /** The model behind the scores. */
  public record ModelSummary(
      String name,
      String weights,
      boolean synthetic,
      String provider,
      String sha256,
      String precision) {

    static ModelSummary of(ModelInfo model) {
      return new ModelSummary(
          model.name(),
          model.weightsSource(),
          model.synthetic(),
          model.provider(),
          model.sha256(),
          model.precision());
    }
  }

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
  public record ExplanationMap(int width, int height, float min, float max, float[] values) {

    static ExplanationMap of(ActivationMap map) {
      return new ExplanationMap(map.width(), map.height(), map.min(), map.max(), map.values());
    }
  }

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
