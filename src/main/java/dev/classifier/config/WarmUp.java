package dev.classifier.config;

import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.PreparedImage;
import dev.classifier.inference.Deadline;
import dev.classifier.inference.Inference;
import dev.classifier.inference.InferenceEngine;
import dev.classifier.inference.InferenceResult;
import dev.classifier.inference.ModelInfo;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
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
        List.of(photo(640, 480, "jpeg"), photo(320, 240, "png"), photo(1024, 768, "jpeg"));
    List<PreparedImage> prepared = new ArrayList<>();
    for (int pass = 0; pass < PREPARE_PASSES; pass++) {
      for (byte[] image : images) {
        PreparedImage ready =
            preprocessor.prepare(
                image, model.input().width(), model.input().height(), model.input().layout());
        if (pass == 0) {
          prepared.add(ready);
        }
      }
    }
    long prepareNanos = System.nanoTime() - start;
    // Full batches where the queue has room for them, so every worker's tensors of that size exist.
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

  /**
   * A gradient with a shape on it: decodes like a photo (not a flat image that compresses away).
   */
  static byte[] photo(int width, int height, String format) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(
        new GradientPaint(0, 0, new Color(30, 90, 200), width, height, new Color(250, 180, 30)));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(20, 120, 60));
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, format, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
