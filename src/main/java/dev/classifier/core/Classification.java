package dev.classifier.core;

import dev.classifier.explain.ActivationMap;
import dev.classifier.image.ImageInfo;
import dev.classifier.inference.ModelInfo;
import dev.classifier.model.ClassLabel;
import java.util.List;

/**
 * What the core answers a classification with, for each door to put in its own wire format: one
 * result per image, in request order, and the model that produced them.
 */
public record Classification(ModelInfo model, List<ImageResult> results) {

  /**
   * One image's answer.
   *
   * @param image what was decoded; null for a tensor, which was never an encoded image
   * @param scores the model's full score vector, one per class
   * @param top the best classes, most likely first
   */
  public record ImageResult(
      ImageInfo image, float[] scores, List<Prediction> top, Timings timings) {}

  /**
   * One of the best classes of an image.
   *
   * @param map where the model found the class in the image; only when explanations were asked
   */
  public record Prediction(int index, ClassLabel label, float score, ActivationMap map) {}

  /**
   * Milliseconds per stage for one image, with two decimals; {@code totalMs} runs from the
   * request's arrival to this image's result, {@code explainMs} is null without explanations.
   * {@code cached}: the answer came from the result cache, so no stage ran (all 0, batch size too).
   */
  public record Timings(
      double decodeMs,
      double preprocessMs,
      double queueMs,
      double inferenceMs,
      double totalMs,
      int batchSize,
      Double explainMs,
      boolean cached) {

    public Timings(
        double decodeMs,
        double preprocessMs,
        double queueMs,
        double inferenceMs,
        double totalMs,
        int batchSize,
        Double explainMs) {
      this(decodeMs, preprocessMs, queueMs, inferenceMs, totalMs, batchSize, explainMs, false);
    }

    /** An answer served from the result cache, {@code totalMs} after the request arrived. */
    static Timings fromCache(double totalMs) {
      return new Timings(0, 0, 0, 0, totalMs, 0, null, true);
    }
  }

  /** Milliseconds with two decimals: finer than any stage's jitter, short in a log or JSON. */
  static double millis(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
