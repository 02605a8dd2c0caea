package dev.classifier.api;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.explain.ActivationMap;
import dev.classifier.explain.Explainer;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.PreparedImage;
import dev.classifier.image.UprightDecoder;
import dev.classifier.inference.Classifier;
import dev.classifier.inference.InferenceResult;
import dev.classifier.inference.ModelSignature;
import dev.classifier.inference.Scores;
import dev.classifier.metrics.ClassifierMetrics;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * One image through the classification path with its feature map, then one class's activation map
 * drawn over the upright image as a PNG. The class is checked before any decoding, the image before
 * any inference.
 */
@Service
class ExplainService {

  /** Long side of the returned picture, at most; smaller images keep their size. */
  static final int MAX_SIDE = 640;

  static final double DEFAULT_OPACITY = 0.5;

  /** The PNG and the class it explains. */
  record Picture(byte[] png, int classIndex) {}

  private final ImagePreprocessor preprocessor;
  private final UprightDecoder upright;
  private final Classifier classifier;
  private final ClassificationService classification;
  private final Explainer explainer;
  private final ClassifierMetrics metrics;
  private final Duration requestTimeout;

  ExplainService(
      ImagePreprocessor preprocessor,
      UprightDecoder upright,
      Classifier classifier,
      ClassificationService classification,
      Explainer explainer,
      ClassifierMetrics metrics,
      ClassifierProperties properties) {
    this.preprocessor = preprocessor;
    this.upright = upright;
    this.classifier = classifier;
    this.classification = classification;
    this.explainer = explainer;
    this.metrics = metrics;
    this.requestTimeout = properties.batching().requestTimeout();
  }

  /**
   * @param classIndex the class to show, or null for the top-1
   * @param opacity of the heatmap in [0, 1], or null for {@link #DEFAULT_OPACITY}
   */
  Picture explain(
      String requestId, byte[] image, Integer classIndex, Double opacity, long startNanos) {
    classification.requireExplanations();
    ModelSignature signature = classifier.signature();
    if (classIndex != null && (classIndex < 0 || classIndex >= signature.classes())) {
      throw new ApiException(
          ProblemType.INVALID_CLASS,
          "class must be between 0 and " + (signature.classes() - 1) + ", was " + classIndex);
    }
    double alpha = opacity != null ? opacity : DEFAULT_OPACITY;
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new ApiException(
          ProblemType.MALFORMED_REQUEST, "opacity must be between 0 and 1, was " + opacity);
    }
    classifier.checkAdmission();
    PreparedImage prepared =
        preprocessor.prepare(image, signature.width(), signature.height(), signature.layout());
    metrics.imagePrepared(prepared.decodeNanos(), prepared.preprocessNanos());
    Duration remaining = requestTimeout.minusNanos(System.nanoTime() - startNanos);
    CompletableFuture<InferenceResult> future =
        classifier.submit(prepared.pixels(), remaining, true);
    InferenceResult inference;
    try {
      inference = Classifier.await(future, remaining.plus(requestTimeout));
    } finally {
      future.cancel(false);
    }
    int[] best = Scores.topK(inference.scores(), 1);
    if (classIndex == null && best.length == 0) {
      throw new dev.classifier.inference.InferenceException(
          "the model returned no finite score", null);
    }
    int shown = classIndex != null ? classIndex : best[0];
    long explainStart = System.nanoTime();
    ActivationMap map =
        explainer.maps(inference.features().values(), inference.features().shape(), shown).get(0);
    // A second decode, for the picture a person sees (see UprightDecoder).
    BufferedImage picture = upright.decode(image, MAX_SIDE);
    byte[] png = explainer.overlayPng(picture, map, alpha);
    metrics.explained(System.nanoTime() - explainStart);
    return new Picture(png, shown);
  }
}
