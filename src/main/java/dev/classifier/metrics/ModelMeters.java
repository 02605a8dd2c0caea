package dev.classifier.metrics;

import dev.classifier.image.MemoryBudget;
import dev.classifier.inference.Inference;
import dev.classifier.inference.ModelInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Meters read from the running service: queue depth, images in flight, the memory budget in use,
 * and an info-style gauge (always 1) whose tags say which weights, precision and execution provider
 * serve, so a dashboard can show — and alert on — synthetic weights or a CPU fallback.
 */
@Component
class ModelMeters implements MeterBinder {

  private final Inference inference;
  private final MemoryBudget budget;

  ModelMeters(Inference inference, MemoryBudget budget) {
    this.inference = inference;
    this.budget = budget;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("classifier.queue.depth", inference, Inference::queueDepth)
        .description("Images waiting for an inference worker")
        .register(registry);
    Gauge.builder("classifier.images.in.flight", inference, Inference::imagesInFlight)
        .description(
            "Images admitted and not yet answered (reserved, queued or running): the autoscaling"
                + " signal")
        .register(registry);
    Gauge.builder("classifier.memory.budget.used", budget, MemoryBudget::used)
        .description("Bytes of upload bodies and decode buffers held now")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("classifier.memory.budget.capacity", budget, MemoryBudget::capacity)
        .description("Bytes that upload bodies and decode buffers may hold at once")
        .baseUnit("bytes")
        .register(registry);
    ModelInfo info = inference.model();
    Gauge.builder("classifier.model.info", () -> 1)
        .description(
            "The model being served; the value is always 1, the tags carry the information")
        .tag("weights", info.weightsSource())
        .tag("synthetic", Boolean.toString(info.synthetic()))
        .tag("precision", info.precision())
        .tag("provider", info.provider())
        .tag("sha256", info.sha256())
        .register(registry);
  }
}
