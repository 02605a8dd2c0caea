package dev.classifier.api;

import dev.classifier.api.ClassificationResponse.ExplanationMap;
import dev.classifier.api.ClassificationResponse.ImageResult;
import dev.classifier.api.ClassificationResponse.ModelSummary;
import dev.classifier.api.ClassificationResponse.Prediction;
import dev.classifier.api.ClassificationResponse.Timings;
import dev.classifier.config.ClassifierProperties;
import dev.classifier.core.CacheKey;
import dev.classifier.explain.ActivationMap;
import dev.classifier.explain.Explainer;
import dev.classifier.explain.ExplanationsUnsupportedException;
import dev.classifier.image.EncodedImage;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.PreparedImage;
import dev.classifier.inference.Deadline;
import dev.classifier.inference.Inference;
import dev.classifier.inference.InferenceResult;
import dev.classifier.inference.ModelInfo;
import dev.classifier.inference.RejectedException;
import dev.classifier.inference.Scores;
import dev.classifier.metrics.ClassifierMetrics;
import dev.classifier.model.ClassLabel;
import dev.classifier.model.LabelSet;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Runs one request's images through admission → decode and preprocess (on the request thread) → the
 * batching queue, and assembles the response when the last image is answered. Queue places are
 * reserved before anything is decoded, all images are prepared before any is queued (so a bad image
 * costs no inference), and a client that has disconnected is noticed before its images are decoded,
 * before they are queued, and before their batch runs. With the result cache on, images answered
 * before are taken from it first and only the others go through that path ({@link
 * ClassificationCache}).
 */
@Service
class ClassificationService {

  private final ImagePreprocessor preprocessor;
  private final Inference inference;
  private final ClassifierMetrics metrics;
  private final LabelSet labels;
  private final Explainer explainer;
  private final Executor responses;
  private final Duration requestTimeout;
  private final ClassificationCache cache;
  private final CoreObservations spans;

  /**
   * @param responses where answers are assembled (top-k, maps): off the inference worker, whose
   *     thread completes the futures
   */
  ClassificationService(
      ImagePreprocessor preprocessor,
      Inference inference,
      LabelSet labels,
      Explainer explainer,
      @Qualifier("responses") Executor responses,
      ClassifierProperties properties,
      ClassifierMetrics metrics,
      ClassificationCache cache,
      CoreObservations spans) {
    this.preprocessor = preprocessor;
    this.cache = cache;
    this.spans = spans;
    this.inference = inference;
    this.metrics = metrics;
    this.labels = labels;
    this.explainer = explainer;
    this.responses = responses;
    this.requestTimeout = properties.batching().requestTimeout();
  }

  /**
   * @param explain whether each prediction gets its class activation map; only then is the model's
   *     feature output fetched
   * @throws ExplanationsUnsupportedException with {@code explain} when the model cannot be
   *     explained, before any work
   */
  CompletableFuture<ClassificationResponse> classify(
      String requestId,
      Upload upload,
      List<ImageSlice> images,
      int topK,
      boolean explain,
      RequestOutcome outcome) {
    return classify(
        requestId, upload, images, topK, explain, outcome, keys(upload, images, explain));
  }

  /** The result cache's key of each image, or null when the cache is off. */
  List<CacheKey> keys(Upload upload, List<ImageSlice> images, boolean explain) {
    return cache.keys(upload.bytes(), images, inference.model().sha256(), explain);
  }

  /**
   * {@link #classify(String, Upload, List, int, boolean, RequestOutcome)} with the images' cache
   * keys already computed (null: no cache): images whose answers are cached skip admission,
   * decoding and inference; the others are computed and kept.
   */
  CompletableFuture<ClassificationResponse> classify(
      String requestId,
      Upload upload,
      List<ImageSlice> images,
      int topK,
      boolean explain,
      RequestOutcome outcome,
      List<CacheKey> keys) {
    outcome.images(images.stream().map(ImageSlice::length).toList());
    ModelInfo model = inference.model();
    if (explain) {
      requireExplanations(model);
    }
    Observation request = spans.request(requestId, model);
    try (Observation.Scope scope = request.openScope()) {
      CompletableFuture<ClassificationResponse> response =
          answer(requestId, upload, images, topK, explain, outcome, keys, model);
      return response.whenComplete((body, failure) -> spans.end(request, failure));
    } catch (RuntimeException e) {
      spans.end(request, e);
      throw e;
    }
  }

  private CompletableFuture<ClassificationResponse> answer(
      String requestId,
      Upload upload,
      List<ImageSlice> images,
      int topK,
      boolean explain,
      RequestOutcome outcome,
      List<CacheKey> keys,
      ModelInfo model) {
    ImageResult[] body = new ImageResult[images.size()];
    List<Integer> computed = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      body[i] =
          keys == null
              ? null
              : cache.get(
                  keys.get(i),
                  topK,
                  Timings.cached(millis(System.nanoTime() - outcome.startNanos())));
      if (body[i] == null) {
        computed.add(i);
      }
    }
    ClientConnection connection = upload.connection();
    if (computed.isEmpty()) {
      upload.release();
      connection.answered();
      List<ImageResult> results = List.of(body);
      outcome.timings(results.stream().map(ImageResult::timings).toList());
      return CompletableFuture.completedFuture(
          new ClassificationResponse(requestId, summary(model), results));
    }
    List<PreparedImage> prepared = new ArrayList<>(computed.size());
    List<CompletableFuture<InferenceResult>> answers = new ArrayList<>(computed.size());
    // Refuse an overloaded request before decoding it: saying no stays quick and leaves the CPUs to
    // inference.
    try (Inference.Admission admission = spans.admission(() -> inference.admit(computed.size()))) {
      if (connection.gone()) {
        throw clientGone("before-decode");
      }
      byte[] bytes = upload.bytes();
      for (int i : computed) {
        ImageSlice image = images.get(i);
        PreparedImage ready =
            preprocessor.prepare(
                new EncodedImage(bytes, image.offset(), image.length()), model.input());
        metrics.imagePrepared(ready.decodeNanos(), ready.preprocessNanos());
        prepared.add(ready);
      }
      upload.release();
      if (connection.gone()) {
        throw clientGone("before-queue");
      }
      Deadline deadline = Deadline.after(requestTimeout, upload.receivedNanos());
      for (PreparedImage image : prepared) {
        answers.add(admission.submit(image.pixels(), explain, deadline, connection::gone));
      }
    } catch (RuntimeException e) {
      answers.forEach(answer -> answer.cancel(false));
      throw e;
    }
    return allOrFirstFailure(answers)
        .whenComplete((results, failure) -> connection.answered())
        .thenApplyAsync(
            results -> {
              for (int j = 0; j < results.size(); j++) {
                int i = computed.get(j);
                body[i] =
                    result(
                        model,
                        prepared.get(j),
                        results.get(j),
                        topK,
                        explain,
                        outcome.startNanos());
                if (keys != null) {
                  cache.put(keys.get(i), body[i], topK);
                }
              }
              List<ImageResult> all = List.of(body);
              outcome.timings(all.stream().map(ImageResult::timings).toList());
              return new ClassificationResponse(requestId, summary(model), all);
            },
            responses);
  }

  private RejectedException clientGone(String stage) {
    metrics.clientGone(stage);
    return new RejectedException(
        RejectedException.Reason.CLIENT_GONE, "the client disconnected", Duration.ZERO);
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
      long startNanos) {
    int[] best = Scores.topK(inference.scores(), topK);
    List<ActivationMap> maps = null;
    Double explainMs = null;
    if (explain) {
      long explainStart = System.nanoTime();
      maps = explainer.maps(inference.features(), featureShape(model), best);
      long explainNanos = System.nanoTime() - explainStart;
      metrics.explained(explainNanos);
      explainMs = millis(explainNanos);
    }
    List<Prediction> predictions = new ArrayList<>(best.length);
    for (int rank = 0; rank < best.length; rank++) {
      ClassLabel label = labels.get(best[rank]);
      predictions.add(
          new Prediction(
              rank + 1,
              best[rank],
              label.id(),
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

  static ModelSummary summary(ModelInfo model) {
    return new ModelSummary(
        model.name(),
        model.weightsSource(),
        model.synthetic(),
        model.provider(),
        model.sha256(),
        model.precision());
  }

  /** Milliseconds with two decimals: finer than any stage's jitter, short in JSON. */
  static double millis(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
