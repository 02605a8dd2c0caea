package dev.classifier.model.compare;

import dev.classifier.image.InputSpec;
import dev.classifier.model.build.ImageFolder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs a reference and a candidate model over the same images and measures how far apart they are,
 * next to how far the reference moves from itself under ±1 grey level of input noise: with weights
 * whose top classes win by thin margins, the noise baseline shows how much of a disagreement any
 * tiny perturbation would cause. The two models run alternately on each image (reference first on
 * even images, candidate first on odd ones), so that both see the same machine load and the speed
 * ratio is fair on a busy machine; the first image is run once more, untimed, to warm both up.
 */
final class ModelComparer {

  /** One grey level in the service's normalised input, x / 127.5 − 1. */
  static final float GREY_LEVEL = 1 / 127.5f;

  /**
   * @param runNanos wall-clock time of each timed run, per model, in image order
   */
  record Outcome(
      int images,
      int skipped,
      Agreement.Figures candidate,
      Agreement.Figures noiseBaseline,
      long[] referenceNanos,
      long[] candidateNanos) {

    static long median(long[] values) {
      long[] sorted = values.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
  }

  private ModelComparer() {}

  static Outcome compare(
      ScoredSession reference,
      ScoredSession candidate,
      ImageFolder images,
      InputSpec input,
      Consumer<String> progress) {
    if (reference.layout() != candidate.layout()
        || reference.width() != candidate.width()
        || reference.height() != candidate.height()) {
      throw new IllegalArgumentException(
          "the models take different inputs: "
              + reference.signature()
              + " and "
              + candidate.signature());
    }
    Agreement agreement = new Agreement();
    Agreement baseline = new Agreement();
    List<long[]> times = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    images.forEach(
        input,
        (file, pixels) -> {
          int index = times.size();
          if (index == 0) {
            reference.probabilities(pixels);
            candidate.probabilities(pixels);
          }
          long[] t = new long[2];
          float[] r;
          float[] c;
          if (index % 2 == 0) {
            long start = System.nanoTime();
            r = reference.probabilities(pixels);
            t[0] = System.nanoTime() - start;
            c = candidate.probabilities(pixels);
            t[1] = System.nanoTime() - start - t[0];
          } else {
            long start = System.nanoTime();
            c = candidate.probabilities(pixels);
            t[1] = System.nanoTime() - start;
            r = reference.probabilities(pixels);
            t[0] = System.nanoTime() - start - t[1];
          }
          times.add(t);
          agreement.add(r, c);
          baseline.add(r, reference.probabilities(noisy(pixels, index)));
        },
        message -> {
          skipped.add(message);
          progress.accept(message);
        });
    if (times.isEmpty()) {
      throw new IllegalArgumentException("no usable image in " + images.dir());
    }
    return new Outcome(
        times.size(),
        skipped.size(),
        agreement.figures(),
        baseline.figures(),
        times.stream().mapToLong(t -> t[0]).toArray(),
        times.stream().mapToLong(t -> t[1]).toArray());
  }

  /**
   * The image with every value moved one grey level up or down (a fair coin per value, seeded by
   * the image's position), kept within [-1, 1].
   */
  static float[] noisy(float[] pixels, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] out = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      float v = pixels[i] + (random.nextBoolean() ? GREY_LEVEL : -GREY_LEVEL);
      out[i] = Math.max(-1f, Math.min(1f, v));
    }
    return out;
  }
}
