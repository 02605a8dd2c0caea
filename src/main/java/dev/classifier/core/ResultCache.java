package dev.classifier.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers already computed, per image, so a repeated image costs neither admission, decoding nor
 * inference. Bounded in bytes (Caffeine weighs each entry by what it holds, its key included) and
 * by age; maintenance runs on the calling thread, so the bound holds when a put returns, not
 * eventually. An entry remembers how many predictions it holds and serves only requests for as many
 * or fewer.
 *
 * @param <V> one image's answer
 */
public final class ResultCache<V> {

  /** One image's answer and the top-k it was computed for. */
  public record Entry<V>(V value, int topK, int weight) {}

  private final Cache<CacheKey, Entry<V>> cache;
  private final long maxBytes;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();

  public ResultCache(long maxBytes, Duration ttl, Ticker ticker) {
    if (maxBytes <= 0 || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("the cache needs a positive byte bound and time to live");
    }
    this.maxBytes = maxBytes;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((CacheKey key, Entry<V> entry) -> entry.weight())
            .expireAfterWrite(ttl)
            .ticker(ticker)
            .executor(Runnable::run)
            .evictionListener((key, entry, cause) -> evictions.incrementAndGet())
            .build();
  }

  /**
   * The answer for {@code key} if one is cached with at least {@code topK} predictions, else null:
   * a lookup for more predictions than cached is a miss.
   */
  public Entry<V> get(CacheKey key, int topK) {
    Entry<V> entry = cache.getIfPresent(key);
    if (entry == null || entry.topK() < topK) {
      misses.incrementAndGet();
      return null;
    }
    hits.incrementAndGet();
    return entry;
  }

  /**
   * Keeps an answer computed for {@code topK} predictions, weighing {@code valueBytes} plus its
   * key; an entry already holding more predictions is kept instead, and an answer heavier than the
   * whole bound is not kept.
   */
  public void put(CacheKey key, V value, int topK, long valueBytes) {
    long weight = valueBytes + CacheKey.WEIGHT;
    if (weight > maxBytes) {
      return;
    }
    Entry<V> entry = new Entry<>(value, topK, (int) weight);
    cache.asMap().merge(key, entry, (old, fresh) -> old.topK() >= fresh.topK() ? old : fresh);
  }

  /** Bytes held now, by the weights given to {@link #put}. */
  public long weightedSize() {
    cache.cleanUp();
    return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  public long entries() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /**
   * Lookups by result ({@code classifier.cache.lookups}, tag result = hit or miss), evictions (by
   * size or age), and the bytes and entries held.
   */
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("classifier.cache.lookups", hits, AtomicLong::get)
        .description("Result cache lookups by result")
        .tag("result", "hit")
        .register(registry);
    FunctionCounter.builder("classifier.cache.lookups", misses, AtomicLong::get)
        .description("Result cache lookups by result")
        .tag("result", "miss")
        .register(registry);
    FunctionCounter.builder("classifier.cache.evictions", evictions, AtomicLong::get)
        .description("Result cache entries evicted for room or age")
        .register(registry);
    Gauge.builder("classifier.cache.size", this, ResultCache::weightedSize)
        .description("Bytes the result cache holds, by its own weighing")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("classifier.cache.entries", this, ResultCache::entries)
        .description("Images whose answers the result cache holds")
        .register(registry);
  }
}
