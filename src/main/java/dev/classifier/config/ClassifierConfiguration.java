package dev.classifier.config;

import dev.classifier.explain.Explainer;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.UprightDecoder;
import dev.classifier.inference.BatchListener;
import dev.classifier.inference.BatchSettings;
import dev.classifier.inference.Classifier;
import dev.classifier.inference.SessionSettings;
import dev.classifier.inference.ThreadBudget;
import dev.classifier.model.ClassifierHead;
import dev.classifier.model.ClassifierHeadReader;
import dev.classifier.model.HeadLookup;
import dev.classifier.model.ImageNetLabels;
import dev.classifier.model.LabelSet;
import dev.classifier.model.ModelProvisioner;
import dev.classifier.model.build.XceptionModelBuilder;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the image pipeline, the model and the classifier from {@link ClassifierProperties}. The
 * pure packages know nothing of Spring; this is the one place they are wired.
 */
@Configuration(proxyBeanMethods = false)
class ClassifierConfiguration {

  @Bean
  ImagePreprocessor imagePreprocessor(ClassifierProperties properties) {
    return new ImagePreprocessor(properties.image().maxPixels());
  }

  private static final Logger log = LoggerFactory.getLogger(ClassifierConfiguration.class);

  /** The model file to serve, built with synthetic weights first when it is absent. */
  @Bean
  Path modelFile(ClassifierProperties properties) {
    ModelProvisioner provisioner =
        new ModelProvisioner(
            (seed, output) -> new XceptionModelBuilder(log::info).synthetic(seed, output));
    return provisioner.ensure(properties.model().path(), properties.model().syntheticSeed());
  }

  /** The upright picture a heatmap is drawn over; same pixel limit as the preprocessor. */
  @Bean
  UprightDecoder uprightDecoder(ClassifierProperties properties) {
    return new UprightDecoder(properties.image().maxPixels());
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
  Explainer explainer(HeadLookup classifierHead) {
    return new Explainer(classifierHead);
  }

  @Bean
  LabelSet labels(ClassifierProperties properties) {
    return new LabelSet(ImageNetLabels.load(properties.model().labels()));
  }

  @Bean
  ThreadBudget threadBudget(ClassifierProperties properties) {
    ClassifierProperties.Inference inference = properties.inference();
    return ThreadBudget.of(
        Runtime.getRuntime().availableProcessors(),
        inference.workers(),
        inference.intraOpThreads());
  }

  @Bean(destroyMethod = "close")
  Classifier classifier(
      ClassifierProperties properties,
      Path modelFile,
      LabelSet labels,
      ThreadBudget threads,
      ObjectProvider<BatchListener> listeners,
      HeadLookup classifierHead) {
    ClassifierProperties.Batching batching = properties.batching();
    Classifier classifier =
        Classifier.open(
            modelFile,
            new SessionSettings(
                properties.inference().provider(),
                properties.inference().deviceId(),
                threads,
                properties.inference().allowSpinning()),
            new BatchSettings(
                batching.maxBatchSize(),
                batching.maxQueueDelay(),
                batching.queueCapacity(),
                threads.workers()),
            properties.model().output(),
            composite(listeners.orderedStream().toList()),
            classifierHead.head().map(ClassifierHead::featureOutput).orElse(null));
    int classes = classifier.signature().classes();
    if (classes != labels.size()) {
      classifier.close();
      throw new IllegalStateException(
          "the model has "
              + classes
              + " output classes but "
              + properties.model().labels()
              + " has "
              + labels.size()
              + " labels");
    }
    return classifier;
  }

  /**
   * Every listener bean hears every event: metrics, and whatever else (tests hold the warm-up
   * through one).
   */
  private static BatchListener composite(List<BatchListener> listeners) {
    if (listeners.isEmpty()) {
      return BatchListener.NONE;
    }
    if (listeners.size() == 1) {
      return listeners.get(0);
    }
    return new BatchListener() {
      @Override
      public void batchExecuted(int batchSize, long inferenceNanos) {
        listeners.forEach(listener -> listener.batchExecuted(batchSize, inferenceNanos));
      }

      @Override
      public void dequeued(long queueNanos) {
        listeners.forEach(listener -> listener.dequeued(queueNanos));
      }
    };
  }

  /**
   * Warms the model up after the web server started and before readiness turns UP: Spring Boot
   * reports readiness ACCEPTING_TRAFFIC only once every runner has returned.
   */
  @Bean
  ApplicationRunner warmUp(Classifier classifier) {
    return args -> classifier.warmUp();
  }

  @Bean
  ReadinessGrace readinessGrace(ClassifierProperties properties) {
    return new ReadinessGrace(properties.shutdown().readinessGrace());
  }
}
