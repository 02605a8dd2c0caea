package dev.classifier.api;

import dev.classifier.image.TensorLayout;
import java.util.List;

/**
 * What {@code GET /v1/models/{name}} tells an operator or client about the loaded model.
 *
 * @param explanations whether {@code explain=true} and {@code /v1/explain} work with this model
 */
public record ModelInfoResponse(
    String name,
    String weights,
    boolean synthetic,
    String sha256,
    String file,
    String builderVersion,
    Input input,
    Output output,
    int labels,
    String provider,
    Threads threads,
    Batching batching,
    boolean ready,
    boolean explanations) {

  /** The input tensor: shape as declared ({@code -1} is the dynamic batch dimension). */
  public record Input(String name, List<Long> shape, TensorLayout layout, int height, int width) {}

  /**
   * The output tensor, and whether rows are read as probabilities or as logits (softmax applied).
   */
  public record Output(String name, List<Long> shape, String kind) {}

  /** How the container's CPUs are used. */
  public record Threads(int cpus, int workers, int intraOpThreads) {}

  /** The dynamic batcher's settings. */
  public record Batching(int maxBatchSize, double maxQueueDelayMs, int queueCapacity) {}

  /** {@code GET /v1/models}: every model this service serves (today, one). */
  public record ModelList(List<ModelInfoResponse> models) {}
}
