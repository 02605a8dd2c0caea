package dev.classifier.inference;

import dev.classifier.image.Normalization;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the engine is opened with besides the model file.
 *
 * @param name the model's name in responses and in {@code /v1/models/{name}}
 * @param output how to read the output rows; AUTO decides from a probe image at load
 * @param runningGrace how long past its deadline a request still waits for a batch that had already
 *     started
 * @param preprocessing overrides the pixel scaling the model's metadata records
 * @param featureOutput the graph output class-activation maps are computed from, when the model has
 *     a head they can be computed for; the only output fetched besides the scores
 */
public record EngineSettings(
    String name,
    SessionSettings session,
    BatchSettings batching,
    OutputKind output,
    Duration runningGrace,
    Optional<Normalization> preprocessing,
    Optional<String> featureOutput) {

  public EngineSettings {
    if (batching.workers() != session.threads().workers()) {
      throw new IllegalArgumentException(
          "the thread budget and the batcher disagree on the number of workers");
    }
  }
}
