package dev.classifier.core;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.explain.ActivationMap;
import dev.classifier.explain.Explainer;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.inference.Inference;
import dev.classifier.inference.InferenceException;
import dev.classifier.inference.InferenceResult;
import dev.classifier.inference.ModelInfo;
import dev.classifier.inference.Scores;
import dev.classifier.metrics.ClassifierMetrics;
import java.awt.image.BufferedImage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * One image through the classification path with its feature map, then one class's activation map
 * drawn over the upright image as a PNG. The class is checked before any decoding, the image before
 * any inference; the drawing happens off the inference worker.
 */
@Service
public class ExplainService {

  /**
   * Long side of the returned picture, at most; smaller images keep their size. Drawn from the
   * decode that made the tensor, so from a large upload decoded at reduced resolution it is
   * enlarged from that decode, never decoded a second time.
   */
  public static final int MAX_SIDE = 640;

  public static final double DEFAULT_OPACITY = 0.5;

  /** The PNG and the class it explains. */
  public record Picture(byte[] png, int classIndex) {}

  private final Intake intake;
  private final Inference inference;
  private final Explainer explainer;
  private final ClassifierMetrics metrics;
  private final Executor responses;

  ExplainService(
      ImagePreprocessor preprocessor,
      Inference inference,
      Explainer explainer,
      ClassifierMetrics metrics,
      @Qualifier("responses") Executor responses,
      ClassifierProperties properties,
      CoreObservations spans) {
    this.intake =
        new Intake(preprocessor, inference, metrics, properties.batching().requestTimeout(), spans);
    this.inference = inference;
    this.explainer = explainer;
    this.metrics = metrics;
    this.responses = responses;
  }

  /**
   * @throws dev.classifier.explain.ExplanationsUnsupportedException when the model cannot be
   *     explained, before any work
   * @throws InvalidRequestException for a class the model does not have, before any work
   */
  public CompletableFuture<Picture> explain(ExplainRequest request) {
    Client client = request.client();
    Integer classIndex = request.classIndex();
    double opacity = request.opacity();
    client.images(request.image().sizes());
    ModelInfo model = inference.model();
    ClassificationService.requireExplanations(model);
    int classes = model.signature().classes();
    if (classIndex != null && classIndex >= classes) {
      throw new InvalidRequestException(
          InvalidRequestException.Reason.CLASS_INDEX,
          "class must be between 0 and " + (classes - 1) + ", was " + classIndex);
    }
    Intake.Queued queued = intake.queue(model, request.image(), true, MAX_SIDE, client);
    BufferedImage picture = queued.prepared().get(0).preview().orElseThrow();
    return queued
        .answers()
        .get(0)
        .whenComplete((result, failure) -> client.answered())
        .thenApplyAsync(result -> draw(model, result, classIndex, picture, opacity), responses);
  }

  private Picture draw(
      ModelInfo model,
      InferenceResult result,
      Integer classIndex,
      BufferedImage picture,
      double opacity) {
    int[] best = Scores.topK(result.scores(), 1);
    if (classIndex == null && best.length == 0) {
      throw new InferenceException("the model returned no finite score", null);
    }
    int shown = classIndex != null ? classIndex : best[0];
    long start = System.nanoTime();
    ActivationMap map =
        explainer.maps(result.features(), ClassificationService.featureShape(model), shown).get(0);
    byte[] png = explainer.overlayPng(picture, map, opacity);
    metrics.explained(System.nanoTime() - start);
    return new Picture(png, shown);
  }
}
