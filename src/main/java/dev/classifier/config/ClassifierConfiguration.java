package dev.classifier.config;

import dev.classifier.explain.Explainer;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.MemoryBudget;
import dev.classifier.inference.BatchListener;
import dev.classifier.inference.BatchObservations;
import dev.classifier.inference.BatchSettings;
import dev.classifier.inference.EngineSettings;
import dev.classifier.inference.InferenceEngine;
import dev.classifier.inference.SessionSettings;
import dev.classifier.inference.ThreadBudget;
import dev.classifier.inference.Threading;
import dev.classifier.model.ClassifierHead;
import dev.classifier.model.ClassifierHeadReader;
import dev.classifier.model.HeadLookup;
import dev.classifier.model.LabelMismatchException;
import dev.classifier.model.LabelSet;
import dev.classifier.model.ModelProvisioner;
import dev.classifier.model.build.XceptionModelBuilder;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Builds the image pipeline, the model and the inference engine from {@link ClassifierProperties}.
 * The pure packages know nothing of Spring; this is the one place they are wired.
 */
@Configuration(proxyBeanMethods = false)
class ClassifierConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ClassifierConfiguration.class);

  @Bean
  MemoryBudget memoryBudget(ClassifierProperties properties) {
    MemoryBudget budget = MemoryBudget.forThisHeap(properties.memory().budgetBytes());
    log.info(
        "memory budget for upload bodies and decode buffers: {} MiB (max heap {} MiB{})",
        budget.capacity() >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        budget.region() > 0
            ? "; arrays of half a "
                + (budget.region() >> 10)
                + " KiB G1 region or more count whole regions"
            : "");
    return budget;
  }

  @Bean
  ImagePreprocessor imagePreprocessor(
      ClassifierProperties properties,
      MemoryBudget budget,
      ObjectProvider<ObservationRegistry> observations) {
    return new ImagePreprocessor(
        properties.image().limits(),
        budget,
        observations.getIfAvailable(() -> ObservationRegistry.NOOP));
  }

  /**
   * The model's dense head, read from the file before the session opens: what class activation maps
   * need, or why the model has none (logged, since clients only see explanations-unsupported).
   */
  @Bean
  HeadLookup classifierHead(Path modelFile) {
    HeadLookup head = ClassifierHeadReader.read(modelFile);
    if (head.supported()) {
      log.info("explanations available: {}", head);
    } else {
      log.info("explanations unavailable for {}: {}", modelFile, head.unsupportedReason().get());
    }
    return head;
  }

  @Bean
  Explainer explainer(HeadLookup head) {
    return new Explainer(head);
  }

  /**
   * Where answers with explanations are assembled after inference (class activation maps, PNG
   * overlays: milliseconds), so the inference worker that completes a batch goes straight back to
   * the queue; a plain top-k takes microseconds and is done by the thread that has the answer. As
   * many threads as the container has CPUs; when all are busy the completing thread does the work
   * itself.
   */
  @Bean(destroyMethod = "shutdown")
  ThreadPoolExecutor responses(ThreadBudget threads) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads.cpus(),
        threads.cpus(),
        30,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(256),
        task -> {
          Thread thread = new Thread(task, "responses-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        new ThreadPoolExecutor.CallerRunsPolicy());
  }

  /** The model file to serve, built with synthetic weights first when it is absent. */
  @Bean
  Path modelFile(ClassifierProperties properties) {
    ModelProvisioner provisioner =
        new ModelProvisioner(
            (seed, output) -> new XceptionModelBuilder(log::info).synthetic(seed, output));
    return provisioner.ensure(properties.model().path(), properties.model().syntheticSeed());
  }

  /**
   * The configured labels file, else the names the model carries, else ImageNet's names for a model
   * that carries none (this project's ImageNet Xception); checked against the model's classes.
   */
  @Bean
  LabelSet labels(ClassifierProperties properties, InferenceEngine engine) {
    Path configured = properties.model().labels();
    Optional<String> carried = engine.model().metadata().labels();
    String source;
    LabelSet labels;
    if (configured != null) {
      source = "the label file " + configured;
      labels = LabelSet.load(configured);
    } else if (carried.isPresent()) {
      source = "the labels in the model's metadata";
      labels = LabelSet.parse(engine.model().file(), carried.get());
    } else {
      source =
          java.nio.file.Files.isRegularFile(IMAGENET_LABELS)
              ? "the label file " + IMAGENET_LABELS
              : "the ImageNet labels inside the jar";
      labels = LabelSet.imagenet(IMAGENET_LABELS);
    }
    int classes = engine.model().signature().classes();
    if (classes != labels.size()) {
      throw new LabelMismatchException(classes, source, labels.size());
    }
    return labels;
  }

  /**
   * The labels of a model that carries none: ImageNet's Xception, from this file relative to the
   * working directory when it is there (the clone, the container image), else from the jar.
   */
  static final Path IMAGENET_LABELS = Path.of("models", "imagenet-labels.tsv");

  @Bean
  ThreadBudget threadBudget(ClassifierProperties properties) {
    ClassifierProperties.Inference inference = properties.inference();
    int cpus = Runtime.getRuntime().availableProcessors();
    if (inference.threading() == Threading.FIXED) {
      return ThreadBudget.of(cpus, inference.workers(), inference.intraOpThreads());
    }
    if (inference.workers() != 1 || inference.intraOpThreads() != 0) {
      throw new IllegalArgumentException(
          "classifier.inference.workers and intra-op-threads apply to"
              + " classifier.inference.threading=fixed; adaptive threading runs one worker per CPU"
              + " and chooses each call's threads itself");
    }
    return ThreadBudget.adaptive(cpus);
  }

  @Bean(destroyMethod = "close")
  InferenceEngine inferenceEngine(
      ClassifierProperties properties,
      Path modelFile,
      ThreadBudget threads,
      HeadLookup head,
      ObjectProvider<BatchListener> listeners,
      ObjectProvider<ObservationRegistry> observations) {
    ClassifierProperties.Batching batching = properties.batching();
    InferenceEngine engine =
        InferenceEngine.open(
            modelFile,
            new EngineSettings(
                properties.model().name(),
                new SessionSettings(
                    properties.inference().provider(),
                    properties.inference().deviceId(),
                    threads,
                    properties.inference().spinning()),
                new BatchSettings(
                    batching.maxBatchSize(),
                    batching.maxQueueDelay(),
                    batching.queueCapacity(),
                    threads.workers()),
                properties.model().output(),
                batching.runningGrace(),
                Optional.ofNullable(properties.model().preprocessing()),
                head.head().map(ClassifierHead::featureOutput)),
            BatchListener.all(listeners.orderedStream().toList()),
            new BatchObservations(observations.getIfAvailable(() -> ObservationRegistry.NOOP)));
    return engine;
  }

  /**
   * Warms the image pipeline and the session up after the web server started and before readiness
   * turns UP: Spring Boot reports readiness ACCEPTING_TRAFFIC only once every runner has returned.
   * First of the runners: the HTTP warm-up ({@code http.HttpWarmUp}) needs the engine warmed up.
   */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  ApplicationRunner warmUp(InferenceEngine engine, ImagePreprocessor preprocessor) {
    return args -> new WarmUp(engine, preprocessor).run();
  }

  @Bean
  ReadinessGrace readinessGrace(ClassifierProperties properties) {
    return new ReadinessGrace(properties.shutdown().readinessGrace());
  }
}
