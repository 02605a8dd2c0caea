package dev.classifier.core;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.classifier.core.Classification.ImageResult;
import dev.classifier.core.Classification.Prediction;
import dev.classifier.core.Classification.Timings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The result cache as the classification core uses it: the keys of a request's encoded images, each
 * image's cached answer cut to the request's top-k, and what goes in: an image's answer without its
 * timings. Off ({@code classifier.cache.enabled=false}, the default) it computes no key and holds
 * nothing; tensors are never cached (the client preprocessed them and can keep their answers).
 */
@Component
public class ClassificationCache {

  /** Bytes of an entry besides its predictions and scores: the records, the image info, lists. */
  private static final int ENTRY_OVERHEAD = 200;

  /** Bytes of one prediction besides its map values (its label is the label set's, not a copy). */
  private static final int PREDICTION_OVERHEAD = 64;

  private final ResultCacheProperties properties;
  private final ResultCache<ImageResult> cache;

  ClassificationCache(ResultCacheProperties properties, MeterRegistry registry) {
    this.properties = properties;
    this.cache =
        properties.enabled()
            ? new ResultCache<>(
                properties.maxSize().toBytes(), properties.ttl(), Ticker.systemTicker())
            : null;
    if (cache != null) {
      cache.bindTo(registry);
    }
  }

  /** How long a client or a cache in front may keep an answer: the entries' time to live. */
  public long maxAgeSeconds() {
    return properties.ttl().toSeconds();
  }

  /**
   * The key of each image, or null when the cache is off or the images are tensors. Read before
   * anything releases the body.
   */
  List<CacheKey> keys(Images images, String modelSha256, boolean explain) {
    if (cache == null || !(images instanceof Images.Encoded encoded)) {
      return null;
    }
    List<CacheKey> keys = new ArrayList<>(encoded.count());
    for (ImageSlice slice : encoded.slices()) {
      keys.add(CacheKey.of(encoded.body(), slice.offset(), slice.length(), modelSha256, explain));
    }
    return keys;
  }

  /** The cached answer for {@code key} with its first {@code topK} predictions, or null. */
  ImageResult get(CacheKey key, int topK, Timings timings) {
    ResultCache.Entry<ImageResult> entry = cache.get(key, topK);
    if (entry == null) {
      return null;
    }
    ImageResult kept = entry.value();
    return new ImageResult(
        kept.image(), kept.scores(), List.copyOf(kept.top().subList(0, topK)), timings);
  }

  /** Keeps {@code result}, computed for {@code topK} predictions, without its timings. */
  void put(CacheKey key, ImageResult result, int topK) {
    ImageResult kept = new ImageResult(result.image(), result.scores(), result.top(), null);
    cache.put(key, kept, topK, weight(kept));
  }

  /** What an answer holds on the heap, at least: the score vector and the maps' values. */
  static long weight(ImageResult result) {
    long bytes = ENTRY_OVERHEAD + 4L * result.scores().length;
    for (Prediction p : result.top()) {
      bytes += PREDICTION_OVERHEAD;
      if (p.map() != null) {
        bytes += 32 + 4L * p.map().values().length;
      }
    }
    return bytes;
  }
}
