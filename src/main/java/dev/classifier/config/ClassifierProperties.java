package dev.classifier.config;

import dev.classifier.inference.ExecutionProvider;
import dev.classifier.inference.OutputKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything an operator can tune under {@code classifier.*}; each property is documented in the
 * README's configuration table. Validated at start-up so a bad value stops the service with a
 * message instead of surfacing at the first request.
 */
@Validated
@ConfigurationProperties("classifier")
public record ClassifierProperties(
    @Valid @NotNull @DefaultValue Model model,
    @Min(1) @Max(1000) @DefaultValue("5") int topKDefault,
    @Min(1) @DefaultValue("16") int maxImagesPerRequest,
    @NotNull @DefaultValue("20MB") DataSize maxUploadSize,
    @Valid @NotNull @DefaultValue Image image,
    @Valid @NotNull @DefaultValue Inference inference,
    @Valid @NotNull @DefaultValue Batching batching,
    @Valid @NotNull @DefaultValue Shutdown shutdown) {

  /** Which model file to serve and how to read its output. */
  public record Model(
      @NotBlank @DefaultValue("xception") String name,
      @NotNull @DefaultValue("models/xception.onnx") Path path,
      @NotNull @DefaultValue("models/imagenet-labels.tsv") Path labels,
      @DefaultValue("42") long syntheticSeed,
      @NotNull @DefaultValue("auto") OutputKind output) {}

  /** Limits checked on every uploaded image. */
  public record Image(@Min(1) @DefaultValue("50000000") long maxPixels) {}

  /** ONNX Runtime session settings. */
  public record Inference(
      @NotNull @DefaultValue("cpu") ExecutionProvider provider,
      @Min(0) @DefaultValue("0") int deviceId,
      @Min(0) @DefaultValue("0") int intraOpThreads,
      @Min(1) @DefaultValue("1") int workers,
      @DefaultValue("false") boolean allowSpinning) {}

  /**
   * The dynamic batcher: Triton's vocabulary (max batch size, max queue delay, queue capacity,
   * timeout).
   */
  public record Batching(
      @Min(1) @Max(256) @DefaultValue("1") int maxBatchSize,
      @NotNull @DefaultValue("0ms") Duration maxQueueDelay,
      @Min(1) @DefaultValue("16") int queueCapacity,
      @NotNull @DefaultValue("30s") Duration requestTimeout) {

    @AssertTrue(
        message = "max-queue-delay must not be negative and request-timeout must be positive")
    boolean isDurationsValid() {
      return !maxQueueDelay.isNegative()
          && !requestTimeout.isNegative()
          && !requestTimeout.isZero();
    }
  }

  /**
   * How long readiness reports DOWN before the web server stops taking requests, so a load balancer
   * stops routing here first (Kubernetes' preStop pause does the same outside the process).
   */
  public record Shutdown(@NotNull @DefaultValue("0s") Duration readinessGrace) {}
}
