package dev.classifier.inference;

import dev.classifier.image.InputSpec;
import dev.classifier.model.FileDigest;
import dev.classifier.model.ModelMetadata;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model behind a batching scheduler. It owns the ONNX Runtime session and the workers,
 * fixes at load what the model is ({@link ModelInfo}) and how its rows are read ({@link
 * ScorePostprocessor}), and refuses work until {@link #warmedUp()} is called.
 */
public final class InferenceEngine implements Inference, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InferenceEngine.class);

  private final ModelSession session;
  private final BatchScheduler scheduler;
  private final ModelInfo info;
  private volatile boolean ready;

  private InferenceEngine(
      ModelSession session,
      ModelInfo info,
      ScorePostprocessor scores,
      EngineSettings settings,
      BatchListener listener,
      BatchObservations observations) {
    this.session = session;
    this.info = info;
    int maxBatch = settings.batching().maxBatchSize();
    this.scheduler =
        new BatchScheduler(
            settings.batching(),
            info.signature().imageSize(),
            () -> new Postprocessing(session.runner(maxBatch), scores),
            System::nanoTime,
            listener,
            settings.runningGrace(),
            observations);
  }

  /**
   * Loads the model, decides how to read its output from a probe image, and starts the workers.
   *
   * @throws InferenceException when the model cannot be loaded on the requested provider or does
   *     not say how its input is scaled
   */
  public static InferenceEngine open(Path model, EngineSettings settings, BatchListener listener) {
    return open(model, settings, listener, BatchObservations.NONE);
  }

  /**
   * {@link #open(Path, EngineSettings, BatchListener)}, with each queued image's wait and session
   * call observed as children of its request's observation.
   */
  public static InferenceEngine open(
      Path model, EngineSettings settings, BatchListener listener, BatchObservations observations) {
    String sha256 = FileDigest.sha256(model);
    ModelSession session = ModelSession.open(model, settings.session(), settings.featureOutput());
    try {
      ModelSignature signature = session.signature();
      ModelMetadata metadata = ModelMetadata.of(session.metadata());
      InputSpec input = ModelInput.resolve(signature, metadata, settings.preprocessing());
      ScorePostprocessor scores;
      try (BatchRunner probe = session.runner(1)) {
        float[] row = probe.run(List.of(new float[signature.imageSize()]), false, 0).scores()[0];
        scores = ScorePostprocessor.resolve(settings.output(), row);
      }
      ThreadBudget budget = settings.session().threads();
      // What runs, not what was asked for: on a GPU an adaptive budget has nothing to adapt.
      ThreadBudget threads =
          budget.adaptive() == session.adaptive()
              ? budget
              : new ThreadBudget(budget.cpus(), budget.workers(), budget.intraOpThreads(), false);
      ModelInfo info =
          new ModelInfo(
              settings.name(),
              model.getFileName().toString(),
              sha256,
              metadata,
              signature,
              input,
              session.provider(),
              threads,
              settings.batching(),
              scores.kind(),
              signature.featureOutput().isPresent());
      log.info(
          "loaded {} (sha256 {}, weights {}, {}) on {}: input {} {} {} preprocessing {}, output {}"
              + " {} read as {}, {} threading: {} worker(s) x {} intra-op thread(s)",
          model,
          sha256,
          metadata.weightsSource(),
          info.precision(),
          info.provider(),
          signature.inputName(),
          Arrays.toString(signature.inputShape()),
          signature.layout(),
          input.normalization().id(),
          signature.outputName(),
          Arrays.toString(signature.outputShape()),
          scores.kind(),
          threads.threading(),
          threads.workers(),
          threads.intraOpThreads());
      if (settings.featureOutput().isPresent() && signature.featureOutput().isEmpty()) {
        log.warn(
            "the model's head reads the feature map '{}', but that is not a fixed-size rank-4"
                + " output: explanations are off",
            settings.featureOutput().get());
      }
      if (metadata.synthetic()) {
        log.warn(metadata.syntheticWarning(model));
      }
      return new InferenceEngine(session, info, scores, settings, listener, observations);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  @Override
  public ModelInfo model() {
    return info;
  }

  /** Takes requests from now on: the request path has been warmed up. */
  public void warmedUp() {
    ready = true;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  /** Whether every inference worker is alive. */
  public boolean healthy() {
    return scheduler.healthy();
  }

  /**
   * Like {@link #admit}, but also before {@link #warmedUp()}: the warm-up itself goes through the
   * real queue.
   */
  public Admission admitForWarmUp(int images) {
    return scheduler.reserve(images);
  }

  @Override
  public Admission admit(int images) {
    if (!ready) {
      throw new RejectedException(
          RejectedException.Reason.NOT_READY,
          "the model is still warming up",
          java.time.Duration.ofSeconds(1));
    }
    return scheduler.reserve(images);
  }

  @Override
  public int queueDepth() {
    return scheduler.queueDepth();
  }

  @Override
  public int imagesInFlight() {
    return scheduler.imagesInFlight();
  }

  /** Stops taking requests, finishes the queued ones, then frees the session. */
  @Override
  public void close() {
    ready = false;
    scheduler.close();
    session.close();
  }

  /** Applies the score post-processor to every row a worker's runner returns. */
  private record Postprocessing(BatchRunner runner, ScorePostprocessor scores)
      implements BatchRunner {

    @Override
    public BatchOutput run(List<float[]> images, boolean features, int othersInFlight) {
      BatchOutput raw = runner.run(images, features, othersInFlight);
      float[][] rows = raw.scores();
      for (int i = 0; i < rows.length; i++) {
        rows[i] = scores.probabilities(rows[i]);
      }
      return raw;
    }

    @Override
    public void close() {
      runner.close();
    }
  }
}
