package dev.classifier.api;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.classifier.api.ClassificationResponse.ImageResult;
import dev.classifier.api.ClassificationResponse.Prediction;
import dev.classifier.api.ClassificationResponse.Timings;
import dev.classifier.core.CacheKey;
import dev.classifier.core.ResultCache;
import dev.classifier.core.ResultCacheProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The result cache as the classification core uses it: the keys of a request's images, each image's
 * cached answer cut to the request's top-k, and what goes in: an image's answer without its
 * timings. Off ({@code classifier.cache.enabled=false}, the default) it computes no key and holds
 * nothing.
 */
@Component
class ClassificationCache {

  /** Bytes of an entry besides its predictions: the records, the image info, the list. */
  private static final int ENTRY_OVERHEAD = 160;

  /** Bytes of one prediction besides its label text and map values. */
  private static final int PREDICTION_OVERHEAD = 96;

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

  public boolean enabled() {
    return cache != null;
  }

  /** How long a client or a cache in front may keep an answer: the entries' time to live. */
  public long maxAgeSeconds() {
    return properties.ttl().toSeconds();
  }

  /** The key of each image, or null when the cache is off. */
  List<CacheKey> keys(byte[] body, List<ImageSlice> images, String modelSha256, boolean explain) {
    if (cache == null) {
      return null;
    }
    List<CacheKey> keys = new ArrayList<>(images.size());
    for (ImageSlice image : images) {
      keys.add(CacheKey.of(body, image.offset(), image.length(), modelSha256, explain));
    }
    return keys;
  }

  /** The cached answer for {@code key} with its first {@code topK} predictions, or null. */
  ImageResult get(CacheKey key, int topK, Timings timings) {
    ResultCache.Entry<ImageResult> entry = cache.get(key, topK);
    if (entry == null) {
      return null;
    }
    List<Prediction> predictions = entry.value().predictions();
    return new ImageResult(
        entry.value().image(), List.copyOf(predictions.subList(0, topK)), timings);
  }

  /** Keeps {@code result}, computed for {@code topK} predictions, without its timings. */
  void put(CacheKey key, ImageResult result, int topK) {
    ImageResult kept = new ImageResult(result.image(), result.predictions(), null);
    cache.put(key, kept, topK, weight(kept));
  }

  /** What an answer holds on the heap, roughly but never below it: labels are UTF-16. */
  static long weight(ImageResult result) {
    long bytes = ENTRY_OVERHEAD + 2L * result.image().format().length();
    for (Prediction p : result.predictions()) {
      bytes += PREDICTION_OVERHEAD + 2L * length(p.label()) + 2L * length(p.wnid());
      if (p.map() != null) {
        bytes += 32 + 4L * p.map().values().length;
      }
    }
    return bytes;
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }
}
