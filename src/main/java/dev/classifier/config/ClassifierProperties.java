package dev.classifier.config;

import dev.classifier.image.ImageLimits;
import dev.classifier.image.Normalization;
import dev.classifier.inference.ExecutionProvider;
import dev.classifier.inference.OutputKind;
import dev.classifier.inference.Spinning;
import dev.classifier.inference.Threading;
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
    @Valid @NotNull @DefaultValue Upload upload,
    @Valid @NotNull @DefaultValue Memory memory,
    @Valid @NotNull @DefaultValue Image image,
    @Valid @NotNull @DefaultValue Inference inference,
    @Valid @NotNull @DefaultValue Batching batching,
    @Valid @NotNull @DefaultValue Shutdown shutdown,
    @Valid @NotNull @DefaultValue WarmUp warmUp) {

  /**
   * Which model file to serve and how to read it.
   *
   * @param labels class names file; unset: the names the model file carries (build-model --labels),
   *     else models/imagenet-labels.tsv (or the jar's copy of it) for a model that carries none
   * @param preprocessing overrides the pixel scaling the model's metadata records (tf, torch,
   *     caffe, raw); unset: the model's own
   */
  public record Model(
      @NotBlank @DefaultValue("xception") String name,
      @NotNull @DefaultValue("models/xception.onnx") Path path,
      Path labels,
      @DefaultValue("42") long syntheticSeed,
      @NotNull @DefaultValue("auto") OutputKind output,
      Normalization preprocessing) {}

  /**
   * How request bodies are received (without holding a thread while they arrive).
   *
   * @param minRate the slowest average rate, in bytes per second, judged after the first 10 s
   * @param timeout the longest a body may take to arrive, however fast it starts
   */
  public record Upload(
      @NotNull @DefaultValue("1KB") DataSize minRate,
      @NotNull @DefaultValue("300s") Duration timeout) {}

  /**
   * The memory requests may hold at once.
   *
   * @param budget bytes of upload bodies and decode buffers held at once; unset: half the maximum
   *     heap
   */
  public record Memory(DataSize budget) {

    /** The budget in bytes, resolved against this JVM's maximum heap. */
    public long budgetBytes() {
      return budget != null ? budget.toBytes() : Runtime.getRuntime().maxMemory() / 2;
    }

    @AssertTrue(message = "classifier.memory.budget must be positive")
    boolean isBudgetValid() {
      return budget == null || budget.toBytes() > 0;
    }
  }

  /**
   * Limits checked on every uploaded image, from its structure before any decoder runs.
   *
   * @param maxDecodeTime CPU time one decode may take before it is abandoned (422)
   * @param maxIccProfileBytes larger embedded colour profiles are ignored (decoded as sRGB)
   * @param maxJpegScans more scans in a progressive JPEG is refused (each scan is a pass over the
   *     whole image)
   * @param maxChunks more chunks, segments, blocks or tags in one file is refused
   * @param turbojpegJar where libjpeg-turbo's Java binding is (Debian's libturbojpeg-java); a path
   *     that does not exist turns the fast JPEG path off
   */
  public record Image(
      @Min(1) @DefaultValue("50000000") long maxPixels,
      @NotNull @DefaultValue("5s") Duration maxDecodeTime,
      @Min(0) @DefaultValue("1048576") int maxIccProfileBytes,
      @Min(1) @DefaultValue("64") int maxJpegScans,
      @Min(1) @DefaultValue("100000") int maxChunks,
      @NotNull @DefaultValue("/usr/share/java/turbojpeg.jar") Path turbojpegJar) {

    /** The limits as the image package takes them. */
    public ImageLimits limits() {
      return new ImageLimits(
          maxPixels, maxDecodeTime, maxIccProfileBytes, maxJpegScans, maxChunks, turbojpegJar);
    }
  }

  /**
   * ONNX Runtime session settings.
   *
   * @param threading adaptive (one worker per CPU; a call alone uses every CPU, overlapping calls
   *     one each) or fixed ({@code workers × intraOpThreads})
   * @param intraOpThreads threads per session call under fixed threading; 0 = CPUs ÷ workers
   * @param workers inference workers under fixed threading
   * @param spinning whether intra-op threads busy-wait for work: off, during-runs or always
   */
  public record Inference(
      @NotNull @DefaultValue("cpu") ExecutionProvider provider,
      @Min(0) @DefaultValue("0") int deviceId,
      @NotNull @DefaultValue("adaptive") Threading threading,
      @Min(0) @DefaultValue("0") int intraOpThreads,
      @Min(1) @DefaultValue("1") int workers,
      @NotNull @DefaultValue("during-runs") Spinning spinning) {}

  /**
   * The dynamic batcher: Triton's vocabulary (max batch size, max queue delay, queue capacity,
   * timeout).
   *
   * @param requestTimeout from the moment a request's body has arrived: an image still queued then
   *     is answered 503 without being run
   * @param runningGrace how much longer a request waits for a batch that started before its
   *     deadline
   */
  public record Batching(
      @Min(1) @Max(256) @DefaultValue("1") int maxBatchSize,
      @NotNull @DefaultValue("0ms") Duration maxQueueDelay,
      @Min(1) @DefaultValue("16") int queueCapacity,
      @NotNull @DefaultValue("30s") Duration requestTimeout,
      @NotNull @DefaultValue("10s") Duration runningGrace) {

    @AssertTrue(
        message =
            "max-queue-delay and running-grace must not be negative and request-timeout must be"
                + " positive")
    boolean isDurationsValid() {
      return !maxQueueDelay.isNegative()
          && !runningGrace.isNegative()
          && !requestTimeout.isNegative()
          && !requestTimeout.isZero();
    }
  }

  /**
   * How long readiness reports DOWN before the web server stops taking requests, so a load balancer
   * stops routing here first (Kubernetes' preStop pause does the same outside the process).
   */
  public record Shutdown(@NotNull @DefaultValue("0s") Duration readinessGrace) {}

  /**
   * What runs before readiness turns UP.
   *
   * @param httpRounds rounds of real HTTP requests to the service's own port (each: a raw and a
   *     multipart classification, the explanation endpoints where the model has them, model info),
   *     so that the first client finds the whole request path loaded and compiled; 0 turns them off
   * @param settleTimeout after the HTTP rounds, how long more rounds may run while the JIT is still
   *     compiling what they run, and then how long readiness may wait for the JVM's own threads to
   *     go quiet (the JIT compiling what the warm-up made hot, the collector); 0 does neither
   */
  public record WarmUp(
      @Min(0) @Max(100) @DefaultValue("3") int httpRounds,
      @NotNull @DefaultValue("3s") Duration settleTimeout) {}
}
