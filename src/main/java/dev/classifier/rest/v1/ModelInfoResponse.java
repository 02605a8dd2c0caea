package dev.classifier.rest.v1;

import dev.classifier.image.TensorLayout;
import java.util.List;

/**
 * What {@code GET /v1/models/{name}} tells an operator or client about the loaded model.
 *
 * @param file the model's file name
 * @param precision {@code fp32} or {@code int8}
 * @param explanations whether {@code explain} requests can be answered for this model
 */
public record ModelInfoResponse(
    String name,
    String weights,
    boolean synthetic,
    String sha256,
    String file,
    String builderVersion,
    String precision,
    Input input,
    Output output,
    int labels,
    String provider,
    Threads threads,
    Batching batching,
    boolean explanations,
    boolean ready) {

  /**
   * The input tensor: shape as declared ({@code -1} is the dynamic batch dimension), and how pixels
   * are scaled ({@code tf}, {@code torch} or {@code caffe}).
   */
  public record Input(
      String name,
      List<Long> shape,
      TensorLayout layout,
      int height,
      int width,
      String preprocessing) {}

  /**
   * The output tensor, and whether rows are read as probabilities or as logits (softmax applied).
   */
  public record Output(String name, List<Long> shape, String kind) {}

  /**
   * How the container's CPUs are used.
   *
   * @param threading {@code adaptive}: a session call alone runs on {@code intraOpThreads},
   *     overlapping calls on one thread each; {@code fixed}: every call on {@code intraOpThreads}
   */
  public record Threads(String threading, int cpus, int workers, int intraOpThreads) {}

  /** What {@code GET /v1/models} answers: an object, so more can be said later without a break. */
  public record ModelList(List<ModelInfoResponse> models) {}

  /** The dynamic batcher's settings. */
  public record Batching(int maxBatchSize, double maxQueueDelayMs, int queueCapacity) {}
}
