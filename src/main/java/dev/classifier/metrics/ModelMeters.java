package dev.classifier.metrics;

import dev.classifier.inference.Classifier;
import dev.classifier.inference.ModelInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Meters read from the loaded classifier: queue depth, and an info-style gauge (always 1) whose
 * tags say which weights and execution provider serve, so a dashboard can show — and alert on —
 * synthetic weights or a CPU fallback. Kept apart from {@link ClassifierMetrics} because the
 * classifier itself reports to that one.
 */
@Component
class ModelMeters implements MeterBinder {

  private final Classifier classifier;

  ModelMeters(Classifier classifier) {
    this.classifier = classifier;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("classifier.queue.depth", classifier, Classifier::queueDepth)
        .description("Images waiting for an inference worker")
        .register(registry);
    ModelInfo info = classifier.info();
    Gauge.builder("classifier.model.info", () -> 1)
        .description(
            "The model being served; the value is always 1, the tags carry the information")
        .tag("weights", info.weightsSource())
        .tag("synthetic", Boolean.toString(info.synthetic()))
        .tag("provider", info.provider())
        .tag("sha256", info.sha256())
        .register(registry);
  }
}
