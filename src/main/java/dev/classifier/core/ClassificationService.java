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
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * The core's door for classifications: runs one request's images through {@link Intake} (admission
 * → decode and preprocess on the caller's thread → the batching queue, or the session call right
 * there when a worker would only wake up for it) and assembles the result when the last image is
 * answered: on the answering thread, or off the inference worker when maps are to be computed. With
 * the result cache on, images answered before are taken from it first, and only the others go
 * through {@link Intake}.
 */
@Service
public class ClassificationService {

  private final Intake intake;
  private final Inference inference;
  private final ClassifierMetrics metrics;
  private final LabelSet labels;
  private final Explainer explainer;
  private final Executor responses;
  private final ClassificationCache cache;
  private final CoreObservations spans;
  private final int maxImages;

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
      ClassifierMetrics metrics,
      ClassificationCache cache,
      CoreObservations spans) {
    this.intake =
        new Intake(preprocessor, inference, metrics, properties.batching().requestTimeout(), spans);
    this.cache = cache;
    this.spans = spans;
    this.inference = inference;
    this.metrics = metrics;
    this.labels = labels;
    this.explainer = explainer;
    this.responses = responses;
    this.maxImages = properties.maxImagesPerRequest();
  }

  /**
   * @throws ExplanationsUnsupportedException with {@code explain} when the model cannot be
   *     explained, before any work
   * @throws InvalidRequestException for more than {@code classifier.max-images-per-request} images
   *     or tensors that are not the model's input, before any work
   * @throws RejectedException when the queue has no room or the client has gone
   */
  public CompletableFuture<Classification> classify(ClassificationRequest request) {
    return classify(request, keys(request));
  }

  /**
   * The result cache's key of each image, or null when the cache is off or the images are tensors;
   * a door that wants an entity tag asks before {@link #classify(ClassificationRequest, List)}.
   */
  public List<CacheKey> keys(ClassificationRequest request) {
    requireWithinLimit(request);
    return cache.keys(request.images(), inference.model().sha256(), request.explain());
  }

  /**
   * {@link #classify(ClassificationRequest)} with the images' cache keys already computed (null: no
   * cache): images whose answers are cached skip admission, decoding and inference, the others are
   * computed and kept. The whole request is observed as {@code classify}, its stages as children.
   */
  public CompletableFuture<Classification> classify(
      ClassificationRequest request, List<CacheKey> keys) {
    ModelInfo model = inference.model();
    Observation span = spans.request(request.client().requestId(), model);
    try (Observation.Scope scope = span.openScope()) {
      return answer(request, keys, model)
          .whenComplete((result, failure) -> spans.end(span, failure));
    } catch (RuntimeException e) {
      spans.end(span, e);
      throw e;
    }
  }

  private CompletableFuture<Classification> answer(
      ClassificationRequest request, List<CacheKey> keys, ModelInfo model) {
    requireWithinLimit(request);
    // Fields, not the request, go into the callbacks: the body must not outlive its release.
    Client client = request.client();
    int topK = request.topK();
    boolean explain = request.explain();
    client.images(request.images().sizes());
    if (explain) {
      requireExplanations(model);
    }
    Intake.check(request.images(), model);
    ImageResult[] images = new ImageResult[request.images().count()];
    List<Integer> computed = new ArrayList<>(images.length);
    for (int i = 0; i < images.length; i++) {
      images[i] =
          keys == null
              ? null
              : cache.get(
                  keys.get(i),
                  topK,
                  Timings.fromCache(
                      Classification.millis(System.nanoTime() - client.arrivedNanos())));
      if (images[i] == null) {
        computed.add(i);
      }
    }
    if (computed.isEmpty()) {
      client.release();
      client.answered();
      List<ImageResult> all = List.of(images);
      client.timings(all.stream().map(ImageResult::timings).toList());
      return CompletableFuture.completedFuture(new Classification(model, all));
    }
    Intake.Queued queued =
        intake.queue(model, only(request.images(), computed), explain, 0, client);
    List<PreparedImage> prepared = queued.prepared();
    CompletableFuture<List<InferenceResult>> answered =
        allOrFirstFailure(queued.answers()).whenComplete((results, failure) -> client.answered());
    Function<List<InferenceResult>, Classification> assemble =
        results -> {
          for (int j = 0; j < results.size(); j++) {
            int i = computed.get(j);
            images[i] =
                result(
                    model, prepared.get(j), results.get(j), topK, explain, client.arrivedNanos());
            if (keys != null) {
              cache.put(keys.get(i), images[i], topK);
            }
          }
          List<ImageResult> all = List.of(images);
          client.timings(all.stream().map(ImageResult::timings).toList());
          return new Classification(model, all);
        };
    // Top-k of a score row takes microseconds: done on the thread that has the answer (a worker,
    // or the request thread that ran the call itself). Maps take milliseconds: off the worker.
    return explain ? answered.thenApplyAsync(assemble, responses) : answered.thenApply(assemble);
  }

  /** The one limit on images per request, whichever door they came through. */
  private void requireWithinLimit(ClassificationRequest request) {
    int count = request.images().count();
    if (count > maxImages) {
      throw new InvalidRequestException(
          InvalidRequestException.Reason.TOO_MANY_IMAGES,
          count + " images in one request; at most " + maxImages + " are accepted");
    }
  }

  /** The images at {@code indices}; all of them as they are. */
  private static Images only(Images images, List<Integer> indices) {
    if (indices.size() == images.count()) {
      return images;
    }
    Images.Encoded encoded = (Images.Encoded) images;
    return new Images.Encoded(encoded.body(), indices.stream().map(encoded.slices()::get).toList());
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
