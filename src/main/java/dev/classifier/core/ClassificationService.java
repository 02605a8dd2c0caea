package dev.classifier.core;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.core.Classification.ImageResult;
import dev.classifier.core.Classification.Prediction;
import dev.classifier.core.Classification.Timings;
import dev.classifier.explain.ActivationMap;
import dev.classifier.explain.Explainer;
import dev.classifier.explain.ExplanationsUnsupportedException;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.PreparedImage;
import dev.classifier.inference.Inference;
import dev.classifier.inference.InferenceResult;
import dev.classifier.inference.ModelInfo;
import dev.classifier.inference.RejectedException;
import dev.classifier.inference.Scores;
import dev.classifier.metrics.ClassifierMetrics;
import dev.classifier.model.LabelSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * The core's door for classifications: runs one request's images through {@link Intake} (admission
 * → decode and preprocess on the caller's thread → the batching queue, or the session call right
 * there when a worker would only wake up for it) and assembles the result when the last image is
 * answered: on the answering thread, or off the inference worker when maps are to be computed.
 */
@Service
public class ClassificationService {

  private final Intake intake;
  private final Inference inference;
  private final ClassifierMetrics metrics;
  private final LabelSet labels;
  private final Explainer explainer;
  private final Executor responses;

  /**
   * @param responses where answers with class activation maps are assembled: off the inference
   *     worker, whose thread completes the futures
   */
  ClassificationService(
      ImagePreprocessor preprocessor,
      Inference inference,
      LabelSet labels,
      Explainer explainer,
      @Qualifier("responses") Executor responses,
      ClassifierProperties properties,
      ClassifierMetrics metrics) {
    this.intake =
        new Intake(preprocessor, inference, metrics, properties.batching().requestTimeout());
    this.inference = inference;
    this.metrics = metrics;
    this.labels = labels;
    this.explainer = explainer;
    this.responses = responses;
  }

  /**
   * @throws ExplanationsUnsupportedException with {@code explain} when the model cannot be
   *     explained, before any work
   * @throws InvalidRequestException for tensors that are not the model's input, before any work
   * @throws RejectedException when the queue has no room or the client has gone
   */
  public CompletableFuture<Classification> classify(ClassificationRequest request) {
    // Fields, not the request, go into the callbacks: the body must not outlive its release.
    Client client = request.client();
    int topK = request.topK();
    boolean explain = request.explain();
    client.images(request.images().sizes());
    ModelInfo model = inference.model();
    if (explain) {
      requireExplanations(model);
    }
    Intake.check(request.images(), model);
    Intake.Queued queued = intake.queue(model, request.images(), explain, 0, client);
    List<PreparedImage> prepared = queued.prepared();
    CompletableFuture<List<InferenceResult>> answered =
        allOrFirstFailure(queued.answers()).whenComplete((results, failure) -> client.answered());
    Function<List<InferenceResult>, Classification> assemble =
        results -> {
          List<ImageResult> images = new ArrayList<>(results.size());
          for (int i = 0; i < results.size(); i++) {
            images.add(
                result(
                    model, prepared.get(i), results.get(i), topK, explain, client.arrivedNanos()));
          }
          client.timings(images.stream().map(ImageResult::timings).toList());
          return new Classification(model, images);
        };
    // Top-k of a score row takes microseconds: done on the thread that has the answer (a worker,
    // or the request thread that ran the call itself). Maps take milliseconds: off the worker.
    return explain ? answered.thenApplyAsync(assemble, responses) : answered.thenApply(assemble);
  }

  /**
   * Completes with every image's answer in order, or with the first failure as soon as it happens,
   * withdrawing the images still queued so they cost no inference.
   */
  private static CompletableFuture<List<InferenceResult>> allOrFirstFailure(
      List<CompletableFuture<InferenceResult>> answers) {
    CompletableFuture<List<InferenceResult>> all = new CompletableFuture<>();
    InferenceResult[] results = new InferenceResult[answers.size()];
    AtomicInteger pending = new AtomicInteger(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      int index = i;
      answers
          .get(i)
          .whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  if (all.completeExceptionally(unwrap(failure))) {
                    answers.forEach(answer -> answer.cancel(false));
                  }
                } else {
                  results[index] = result;
                  if (pending.decrementAndGet() == 0) {
                    all.complete(Arrays.asList(results));
                  }
                }
              });
    }
    return all;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure instanceof CancellationException
            ? new RejectedException(
                RejectedException.Reason.DEADLINE_EXCEEDED, "withdrawn", Duration.ofSeconds(1))
            : failure;
  }

  /** Refuses an explanation the model cannot give; the reason is in the start-up log. */
  static void requireExplanations(ModelInfo model) {
    if (!model.explanations()) {
      throw new ExplanationsUnsupportedException(
          "the served model has no GlobalAveragePool -> dense head with its feature map as an"
              + " output; the start-up log says why");
    }
  }

  /** The feature map's dimensions without the batch, as the model declares them. */
  static int[] featureShape(ModelInfo model) {
    long[] shape = model.signature().featureOutput().orElseThrow().shape();
    return Arrays.stream(shape, 1, shape.length).mapToInt(Math::toIntExact).toArray();
  }

  private ImageResult result(
      ModelInfo model,
      PreparedImage image,
      InferenceResult inference,
      int topK,
      boolean explain,
      long arrivedNanos) {
    int[] best = Scores.topK(inference.scores(), topK);
    List<ActivationMap> maps = null;
    Double explainMs = null;
    if (explain) {
      long explainStart = System.nanoTime();
      maps = explainer.maps(inference.features(), featureShape(model), best);
      long explainNanos = System.nanoTime() - explainStart;
      metrics.explained(explainNanos);
      explainMs = Classification.millis(explainNanos);
    }
    List<Prediction> top = new ArrayList<>(best.length);
    for (int rank = 0; rank < best.length; rank++) {
      top.add(
          new Prediction(
              best[rank],
              labels.get(best[rank]),
              inference.scores()[best[rank]],
              maps == null ? null : maps.get(rank)));
    }
    Timings timings =
        new Timings(
            Classification.millis(image.decodeNanos()),
            Classification.millis(image.preprocessNanos()),
            Classification.millis(inference.queueNanos()),
            Classification.millis(inference.inferenceNanos()),
            Classification.millis(System.nanoTime() - arrivedNanos),
            inference.batchSize(),
            explainMs);
    return new ImageResult(image.info(), inference.scores(), top, timings);
  }
}
