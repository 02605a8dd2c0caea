package dev.classifier.api;

import dev.classifier.image.ImageInfo;
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
   */
  public record Prediction(int rank, int index, String wnid, String label, float score) {}

  /**
   * Milliseconds per stage for this image; {@code totalMs} runs from the request's arrival to this
   * image's result.
   */
  public record Timings(
      double decodeMs,
      double preprocessMs,
      double queueMs,
      double inferenceMs,
      double totalMs,
      int batchSize) {}
}
