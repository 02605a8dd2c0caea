package dev.classifier.inference;

import dev.classifier.inference.RejectedException.Reason;
import dev.classifier.model.ModelMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference package's public door: one loaded model behind a batching scheduler. Callers submit
 * one image's tensor and get back its probabilities; batching, thread budget and output
 * interpretation stay inside.
 */
public final class Classifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Classifier.class);

  private final Path model;
  private final ModelSession session;
  private final BatchScheduler scheduler;
  private final String sha256;
  private final ThreadBudget threads;
  private final BatchSettings batching;
  private final String featureOutput;
  private volatile OutputKind outputKind;
  private volatile boolean ready;

  private Classifier(
      Path model,
      ModelSession session,
      String sha256,
      ThreadBudget threads,
      BatchSettings batching,
      OutputKind outputKind,
      BatchListener listener,
      String featureOutput) {
    this.model = model;
    this.session = session;
    this.sha256 = sha256;
    this.threads = threads;
    this.batching = batching;
    this.outputKind = outputKind;
    this.featureOutput = featureOutput;
    BatchRunner runner =
        new BatchRunner() {
          @Override
          public float[][] run(FloatBuffer input, int batchSize) {
            return runBatch(input, batchSize, null).scores();
          }

          @Override
          public BatchOutput run(FloatBuffer input, int batchSize, boolean features) {
            return runBatch(input, batchSize, features ? featureOutput : null);
          }
        };
    this.scheduler =
        new BatchScheduler(
            batching, session.signature().imageSize(), runner, System::nanoTime, listener);
  }

  /**
   * Loads the model and starts the batch workers. The classifier refuses requests until {@link
   * #warmUp()} ran.
   *
   * @throws InferenceException when the model cannot be loaded on the requested provider
   */
  public static Classifier open(
      Path model,
      SessionSettings settings,
      BatchSettings batching,
      OutputKind outputKind,
      BatchListener listener) {
    return open(model, settings, batching, outputKind, listener, null);
  }

  /**
   * As {@link #open(Path, SessionSettings, BatchSettings, OutputKind, BatchListener)}, with the
   * name of a feature output that {@link #submit(float[], Duration, boolean)} can fetch.
   *
   * @param featureOutput a graph output of the model, or null for none
   */
  public static Classifier open(
      Path model,
      SessionSettings settings,
      BatchSettings batching,
      OutputKind outputKind,
      BatchListener listener,
      String featureOutput) {
    ThreadBudget threads = settings.threads();
    if (batching.workers() != threads.workers()) {
      throw new IllegalArgumentException(
          "the thread budget and the batcher disagree on the number of workers");
    }
    String sha256 = sha256(model);
    ModelSession session = ModelSession.open(model, settings);
    if (featureOutput != null && !session.hasOutput(featureOutput)) {
      session.close();
      throw new InferenceException(
          "model " + model + " has no output '" + featureOutput + "' to explain with", null);
    }
    log.info(
        "loaded {} (sha256 {}) on {}: input {} {} {}, output {} {}, {} worker(s) × {} intra-op thread(s)",
        model,
        sha256,
        session.provider(),
        session.signature().inputName(),
        Arrays.toString(session.signature().inputShape()),
        session.signature().layout(),
        session.signature().outputName(),
        Arrays.toString(session.signature().outputShape()),
        threads.workers(),
        threads.intraOpThreads());
    ModelMetadata metadata = ModelMetadata.of(session.metadata());
    if (metadata.synthetic()) {
      log.warn(metadata.syntheticWarning(model));
    }
    return new Classifier(
        model, session, sha256, threads, batching, outputKind, listener, featureOutput);
  }

  public ModelSignature signature() {
    return session.signature();
  }

  public ModelInfo info() {
    return new ModelInfo(
        model.toString(),
        sha256,
        ModelMetadata.of(session.metadata()).weightsSource(),
        ModelMetadata.of(session.metadata()).builderVersion(),
        session.signature(),
        session.provider(),
        threads,
        batching,
        outputKind);
  }

  /**
   * Runs full batches of blank images through the real path, so the first client does not pay for
   * lazy allocations, and settles an AUTO output kind from what the model returns.
   */
  public void warmUp() {
    float[] blank = new float[session.signature().imageSize()];
    List<CompletableFuture<InferenceResult>> futures = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    for (int i = 0; i < batching.maxBatchSize() * batching.workers(); i++) {
      futures.add(scheduler.submit(blank, deadline));
    }
    for (CompletableFuture<InferenceResult> future : futures) {
      await(future, Duration.ofMinutes(5));
    }
    ready = true;
    log.info("warm-up done: {} inference(s), output read as {}", futures.size(), outputKind);
  }

  public boolean ready() {
    return ready;
  }

  /**
   * Queues one image for inference.
   *
   * @param pixels {@link ModelSignature#imageSize()} floats in the model's layout
   * @param timeout how long the request may wait in the queue before it is dropped unrun
   * @throws RejectedException when not warmed up, shutting down, or the queue is full
   */
  public CompletableFuture<InferenceResult> submit(float[] pixels, Duration timeout) {
    if (!ready) {
      throw new RejectedException(
          Reason.NOT_READY, "the model is still warming up", Duration.ofSeconds(1));
    }
    return scheduler.submit(pixels, System.nanoTime() + timeout.toNanos());
  }

  /**
   * As {@link #submit(float[], Duration)}; with {@code features} the result also carries the
   * image's feature map ({@link InferenceResult#features()}). Images submitted without it never
   * make ONNX Runtime copy the feature output.
   *
   * @throws IllegalStateException when features are asked of a classifier opened without a feature
   *     output
   */
  public CompletableFuture<InferenceResult> submit(
      float[] pixels, Duration timeout, boolean features) {
    if (features && featureOutput == null) {
      throw new IllegalStateException("this classifier was opened without a feature output");
    }
    if (!ready) {
      throw new RejectedException(
          Reason.NOT_READY, "the model is still warming up", Duration.ofSeconds(1));
    }
    return scheduler.submit(pixels, System.nanoTime() + timeout.toNanos(), features);
  }

  /**
   * Throws the {@link RejectedException} that {@link #submit} would throw now (not ready, shutting
   * down, queue full), so a request can be refused before its images are decoded: under overload a
   * refusal then costs microseconds of CPU instead of a decode that competes with inference for the
   * cores.
   */
  public void checkAdmission() {
    if (!ready) {
      throw new RejectedException(
          Reason.NOT_READY, "the model is still warming up", Duration.ofSeconds(1));
    }
    scheduler.checkAdmission();
  }

  /** Waits for a submitted image's result, surfacing the scheduler's own exceptions unwrapped. */
  public static InferenceResult await(CompletableFuture<InferenceResult> future, Duration timeout) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new InferenceException("inference failed", e.getCause());
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new RejectedException(
          Reason.DEADLINE_EXCEEDED, "inference did not finish in time", Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      future.cancel(false);
      Thread.currentThread().interrupt();
      throw new RejectedException(
          Reason.SHUTTING_DOWN, "interrupted while waiting", Duration.ofSeconds(1));
    }
  }

  public int queueDepth() {
    return scheduler.queueDepth();
  }

  private BatchOutput runBatch(FloatBuffer input, int batchSize, String features) {
    BatchOutput output = session.run(input, batchSize, features);
    float[][] rows = output.scores();
    if (outputKind == OutputKind.AUTO) {
      outputKind =
          Scores.looksLikeProbabilities(rows[0]) ? OutputKind.PROBABILITIES : OutputKind.LOGITS;
    }
    if (outputKind == OutputKind.LOGITS) {
      for (int i = 0; i < rows.length; i++) {
        rows[i] = Scores.softmax(rows[i]);
      }
    }
    return output;
  }

  /**
   * Stops taking requests and finishes the queued ones; for an orderly shutdown after the web
   * server drained.
   */
  public void drain(Duration timeout) {
    ready = false;
    scheduler.drain(timeout);
  }

  @Override
  public void close() {
    scheduler.close();
    session.close();
  }

  private static String sha256(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
