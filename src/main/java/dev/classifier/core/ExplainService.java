package dev.classifier.core;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.explain.ActivationMap;
import dev.classifier.explain.Explainer;
import dev.classifier.http.ClientConnection;
import dev.classifier.http.RequestOutcome;
import dev.classifier.http.Upload;
import dev.classifier.image.EncodedImage;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.PreparedImage;
import dev.classifier.inference.Deadline;
import dev.classifier.inference.Inference;
import dev.classifier.inference.InferenceException;
import dev.classifier.inference.InferenceResult;
import dev.classifier.inference.ModelInfo;
import dev.classifier.inference.RejectedException;
import dev.classifier.inference.Scores;
import dev.classifier.metrics.ClassifierMetrics;
import dev.classifier.rest.v1.ApiException;
import dev.classifier.rest.v1.ProblemType;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
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

  private final ImagePreprocessor preprocessor;
  private final Inference inference;
  private final Explainer explainer;
  private final ClassifierMetrics metrics;
  private final Executor responses;
  private final Duration requestTimeout;

  public ExplainService(
      ImagePreprocessor preprocessor,
      Inference inference,
      Explainer explainer,
      ClassifierMetrics metrics,
      @Qualifier("responses") Executor responses,
      ClassifierProperties properties) {
    this.preprocessor = preprocessor;
    this.inference = inference;
    this.explainer = explainer;
    this.metrics = metrics;
    this.responses = responses;
    this.requestTimeout = properties.batching().requestTimeout();
  }

  /**
   * @param classIndex the class to show, or null for the top-1
   * @param opacity of the heatmap, in [0, 1]
   */
  public CompletableFuture<Picture> explain(
      Upload upload, ImageSlice image, Integer classIndex, double opacity, RequestOutcome outcome) {
    outcome.images(List.of(image.length()));
    ModelInfo model = inference.model();
    ClassificationService.requireExplanations(model);
    int classes = model.signature().classes();
    if (classIndex != null && classIndex >= classes) {
      throw new ApiException(
          ProblemType.INVALID_CLASS,
          "class must be between 0 and " + (classes - 1) + ", was " + classIndex);
    }
    ClientConnection connection = upload.connection();
    CompletableFuture<InferenceResult> answer;
    BufferedImage picture;
    try (Inference.Admission admission = inference.admit(1)) {
      if (connection.gone()) {
        throw clientGone("before-decode");
      }
      PreparedImage prepared =
          preprocessor.prepare(
              new EncodedImage(upload.bytes(), image.offset(), image.length()),
              model.input(),
              MAX_SIDE);
      metrics.imagePrepared(prepared.decodeNanos(), prepared.preprocessNanos());
      picture = prepared.preview().orElseThrow();
      upload.release();
      if (connection.gone()) {
        throw clientGone("before-queue");
      }
      Deadline deadline = Deadline.after(requestTimeout, upload.receivedNanos());
      answer = admission.submit(prepared.pixels(), true, deadline, connection::gone);
    }
    return answer
        .whenComplete((result, failure) -> connection.answered())
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

  private RejectedException clientGone(String stage) {
    metrics.clientGone(stage);
    return new RejectedException(
        RejectedException.Reason.CLIENT_GONE, "the client disconnected", Duration.ZERO);
  }
}
