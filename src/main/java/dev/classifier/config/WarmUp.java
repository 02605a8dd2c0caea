package dev.classifier.config;

import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.PreparedImage;
import dev.classifier.image.SyntheticPhotos;
import dev.classifier.inference.Deadline;
import dev.classifier.inference.Inference;
import dev.classifier.inference.InferenceEngine;
import dev.classifier.inference.InferenceResult;
import dev.classifier.inference.ModelInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the request path hot before the service says it is ready: generated images of typical sizes
 * and formats through decode and preprocessing, enough times for the JIT to compile the hot loops,
 * then through the real queue and session, so the first client pays neither for lazy allocations
 * nor for interpreted code.
 */
final class WarmUp {

  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

  /**
   * Decode and preprocessing passes per generated image: the JIT compiles hot loops after these.
   */
  static final int PREPARE_PASSES = 20;

  /**
   * Session calls through the queue: the first allocates ONNX Runtime's arena, later ones reuse it.
   */
  static final int INFERENCES = 3;

  private final InferenceEngine engine;
  private final ImagePreprocessor preprocessor;

  WarmUp(InferenceEngine engine, ImagePreprocessor preprocessor) {
    this.engine = engine;
    this.preprocessor = preprocessor;
  }

  void run() {
    long start = System.nanoTime();
    ModelInfo model = engine.model();
    List<byte[]> images =
        List.of(
            SyntheticPhotos.photo(640, 480, "jpeg"),
            SyntheticPhotos.photo(320, 240, "png"),
            SyntheticPhotos.photo(1024, 768, "jpeg"));
    List<PreparedImage> prepared = new ArrayList<>();
    for (int pass = 0; pass < PREPARE_PASSES; pass++) {
      for (byte[] image : images) {
        PreparedImage ready = preprocessor.prepare(image, model.input());
        if (pass == 0) {
          prepared.add(ready);
        }
      }
    }
    long prepareNanos = System.nanoTime() - start;
    // Full batches where the queue has room for them, so every worker's tensors of that size exist.
    // Under adaptive threading the jobs of a round overlap, so the single-threaded session runs
    // here too; the engine's load probe and the HTTP warm-up's sequential requests run the other.
    int round =
        Math.min(
            model.batching().queueCapacity(),
            model.batching().maxBatchSize() * model.batching().workers());
    int inferences = 0;
    while (inferences < INFERENCES) {
      List<CompletableFuture<InferenceResult>> answers = new ArrayList<>(round);
      Deadline deadline = Deadline.after(Duration.ofMinutes(5), System.nanoTime());
      try (Inference.Admission admission = engine.admitForWarmUp(round)) {
        for (int i = 0; i < round; i++, inferences++) {
          answers.add(
              admission.submit(
                  prepared.get(inferences % prepared.size()).pixels(),
                  false,
                  deadline,
                  () -> false));
        }
      }
      for (CompletableFuture<InferenceResult> answer : answers) {
        try {
          answer.get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
          throw new IllegalStateException("warm-up inference failed", e);
        }
      }
    }
    engine.warmedUp();
    log.info(
        "warm-up done in {} ms: {} decode+preprocess passes ({} ms), {} inference(s)",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        PREPARE_PASSES * images.size(),
        TimeUnit.NANOSECONDS.toMillis(prepareNanos),
        inferences);
  }
}
