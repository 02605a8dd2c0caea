package dev.classifier.api;

import dev.classifier.api.ClassificationResponse.ExplanationMap;
import dev.classifier.api.ClassificationResponse.ImageResult;
import dev.classifier.api.ClassificationResponse.ModelSummary;
import dev.classifier.api.ClassificationResponse.Prediction;
import dev.classifier.api.ClassificationResponse.Timings;
import dev.classifier.config.ClassifierProperties;
import dev.classifier.explain.ActivationMap;
import dev.classifier.explain.Explainer;
import dev.classifier.explain.ExplanationsUnsupportedException;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.PreparedImage;
import dev.classifier.inference.Classifier;
import dev.classifier.inference.InferenceResult;
import dev.classifier.inference.ModelInfo;
import dev.classifier.inference.ModelSignature;
import dev.classifier.inference.Scores;
import dev.classifier.metrics.ClassifierMetrics;
import dev.classifier.model.ImageNetLabel;
import dev.classifier.model.LabelSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * Runs one request's images through decode → preprocess (on the request thread) → the batching
 * scheduler, and assembles the response. All images are prepared before any is queued, so a bad
 * image costs no inference.
 */
@Service
class ClassificationService {

  private final ImagePreprocessor preprocessor;
  private final Classifier classifier;
  private final ClassifierMetrics metrics;
  private final LabelSet labels;
  private final String modelName;
  private final Duration requestTimeout;
  private final Explainer explainer;

  ClassificationService(
      ImagePreprocessor preprocessor,
      Classifier classifier,
      LabelSet labels,
      ClassifierProperties properties,
      ClassifierMetrics metrics,
      Explainer explainer) {
    this.explainer = explainer;
    this.preprocessor = preprocessor;
    this.metrics = metrics;
    this.classifier = classifier;
    this.labels = labels;
    this.modelName = properties.model().name();
    this.requestTimeout = properties.batching().requestTimeout();
  }

  ClassificationResponse classify(
      String requestId, List<byte[]> images, int topK, long startNanos) {
    return classify(requestId, images, topK, startNanos, false);
  }

  /**
   * @param explain whether each prediction gets its class activation map; only then is the model's
   *     feature output fetched
   * @throws ExplanationsUnsupportedException with {@code explain} when the model has no usable
   *     head, before any work
   */
  ClassificationResponse classify(
      String requestId, List<byte[]> images, int topK, long startNanos, boolean explain) {
    if (explain) {
      requireExplanations();
    }
    // Refuse an overloaded request before decoding it, so saying no stays quick and leaves the CPUs
    // to inference.
    classifier.checkAdmission();
    ModelSignature signature = classifier.signature();
    List<PreparedImage> prepared = new ArrayList<>(images.size());
    for (byte[] image : images) {
      PreparedImage ready =
          preprocessor.prepare(image, signature.width(), signature.height(), signature.layout());
      metrics.imagePrepared(ready.decodeNanos(), ready.preprocessNanos());
      prepared.add(ready);
    }
    Duration remaining = requestTimeout.minusNanos(System.nanoTime() - startNanos);
    List<CompletableFuture<InferenceResult>> futures = new ArrayList<>(prepared.size());
    try {
      for (PreparedImage image : prepared) {
        futures.add(classifier.submit(image.pixels(), remaining, explain));
      }
      List<ImageResult> results = new ArrayList<>(prepared.size());
      for (int i = 0; i < prepared.size(); i++) {
        // A little beyond the queue deadline: a request that left the queue in time may finish its
        // batch.
        InferenceResult inference =
            Classifier.await(futures.get(i), remaining.plus(requestTimeout));
        results.add(result(prepared.get(i), inference, topK, startNanos, explain));
      }
      return new ClassificationResponse(requestId, summary(), results);
    } finally {
      // On any failure the images still queued are withdrawn, so they cost no inference.
      futures.forEach(future -> future.cancel(false));
    }
  }

  /** Refuses an explanation the model cannot give, with the reason in the log only. */
  void requireExplanations() {
    if (!explainer.supported()) {
      throw new ExplanationsUnsupportedException(
          "the served model has no GlobalAveragePool -> dense head with its feature map as an"
              + " output; the start-up log says why");
    }
  }

  private ImageResult result(
      PreparedImage image, InferenceResult inference, int topK, long startNanos, boolean explain) {
    int[] best = Scores.topK(inference.scores(), topK);
    long explainStart = System.nanoTime();
    List<ActivationMap> maps =
        explain
            ? explainer.maps(inference.features().values(), inference.features().shape(), best)
            : null;
    Double explainMs = null;
    if (explain) {
      long explainNanos = System.nanoTime() - explainStart;
      metrics.explained(explainNanos);
      explainMs = millis(explainNanos);
    }
    List<Prediction> predictions = new ArrayList<>(best.length);
    for (int rank = 0; rank < best.length; rank++) {
      ImageNetLabel label = labels.get(best[rank]);
      predictions.add(
          new Prediction(
              rank + 1,
              best[rank],
              label.wnid(),
              label.name(),
              inference.scores()[best[rank]],
              maps == null ? null : view(maps.get(rank))));
    }
    Timings timings =
        new Timings(
            millis(image.decodeNanos()),
            millis(image.preprocessNanos()),
            millis(inference.queueNanos()),
            millis(inference.inferenceNanos()),
            millis(System.nanoTime() - startNanos),
            inference.batchSize(),
            explainMs);
    return new ImageResult(image.info(), predictions, timings);
  }

  static ExplanationMap view(ActivationMap map) {
    return new ExplanationMap(map.width(), map.height(), map.min(), map.max(), map.values());
  }

  ModelSummary summary() {
    ModelInfo info = classifier.info();
    return new ModelSummary(
        modelName, info.weightsSource(), info.synthetic(), info.provider(), info.sha256());
  }

  /** Milliseconds with two decimals: finer than any stage's jitter, short in JSON. */
  static double millis(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
