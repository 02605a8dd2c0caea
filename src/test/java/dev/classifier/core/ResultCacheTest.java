package dev.classifier.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The result cache as pure code, on a fake clock: exact hits and misses, answers never crossing
 * models, explanations or a larger top-k, the TTL, and the byte bound under 10,000 distinct images.
 */
class ResultCacheTest {

  private static final String MODEL_A = "a".repeat(64);
  private static final String MODEL_B = "b".repeat(64);

  private final AtomicLong nanos = new AtomicLong();
  private final ResultCache<String> cache =
      new ResultCache<>(1024 * 1024, Duration.ofMinutes(10), nanos::get);

  private static byte[] image(int n) {
    return ByteBuffer.allocate(64).putInt(n).array();
  }

  private static CacheKey key(int image, String model, boolean explain) {
    byte[] bytes = image(image);
    return CacheKey.of(bytes, 0, bytes.length, model, explain);
  }

  @Test
  void aStoredAnswerIsAHitForAsManyOrFewerPredictionsAndAMissForMore() {
    cache.put(key(1, MODEL_A, false), "five", 5, 100);

    assertThat(cache.get(key(1, MODEL_A, false), 5).value()).isEqualTo("five");
    assertThat(cache.get(key(1, MODEL_A, false), 1).value()).isEqualTo("five");
    assertThat(cache.get(key(1, MODEL_A, false), 6)).isNull();
    assertThat(cache.get(key(2, MODEL_A, false), 1)).isNull();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    cache.bindTo(registry);
    assertThat(
            registry.get("classifier.cache.lookups").tag("result", "hit").functionCounter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("classifier.cache.lookups")
                .tag("result", "miss")
                .functionCounter()
                .count())
        .isEqualTo(2);
    assertThat(registry.get("classifier.cache.entries").gauge().value()).isEqualTo(1);
    assertThat(registry.get("classifier.cache.size").gauge().value())
        .isEqualTo(100 + CacheKey.WEIGHT);
  }

  @Test
  void theSameBytesUnderAnotherModelOrWithExplanationsAreAMiss() {
    cache.put(key(1, MODEL_A, false), "a", 5, 100);

    assertThat(cache.get(key(1, MODEL_B, false), 1)).isNull();
    assertThat(cache.get(key(1, MODEL_A, true), 1)).isNull();
    assertThat(cache.get(key(1, MODEL_A, false), 1).value()).isEqualTo("a");
  }

  @Test
  void theKeyIsEveryByteOfTheImageWhereverItSitsInTheBody() {
    byte[] image = image(7);
    byte[] body = new byte[image.length + 10];
    System.arraycopy(image, 0, body, 10, image.length);
    byte[] lastByteChanged = image.clone();
    lastByteChanged[image.length - 1] ^= 1;

    assertThat(CacheKey.of(body, 10, image.length, MODEL_A, false))
        .isEqualTo(CacheKey.of(image, 0, image.length, MODEL_A, false));
    assertThat(CacheKey.of(lastByteChanged, 0, image.length, MODEL_A, false))
        .isNotEqualTo(CacheKey.of(image, 0, image.length, MODEL_A, false));
    // SHA-256 of 64 zero bytes, as `head -c 64 /dev/zero | sha256sum` prints it.
    byte[] zeros = new byte[64];
    assertThat(CacheKey.of(zeros, 0, 64, MODEL_A, false).imageSha256())
        .isEqualTo("f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b");
  }

  @Test
  void aLargerTopKReplacesASmallerOneButNeverTheOtherWayRound() {
    cache.put(key(1, MODEL_A, false), "three", 3, 100);
    cache.put(key(1, MODEL_A, false), "five", 5, 100);
    cache.put(key(1, MODEL_A, false), "two", 2, 100);

    assertThat(cache.get(key(1, MODEL_A, false), 4).value()).isEqualTo("five");
    assertThat(cache.get(key(1, MODEL_A, false), 2).value()).isEqualTo("five");
  }

  @Test
  void anAnswerOlderThanTheTtlIsAMissAndCountsAsAnEviction() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    cache.bindTo(registry);
    cache.put(key(1, MODEL_A, false), "a", 5, 100);
    nanos.addAndGet(TimeUnit.MINUTES.toNanos(10) - 1);
    assertThat(cache.get(key(1, MODEL_A, false), 5)).isNotNull();

    nanos.addAndGet(1);
    assertThat(cache.get(key(1, MODEL_A, false), 5)).isNull();
    assertThat(cache.entries()).isZero();
    assertThat(registry.get("classifier.cache.evictions").functionCounter().count()).isEqualTo(1);
  }

  @Test
  void tenThousandDistinctImagesNeverTakeTheCachePastItsBound() {
    long bound = 1024 * 1024;
    long peak = 0;
    for (int i = 0; i < 10_000; i++) {
      cache.put(key(i, MODEL_A, i % 2 == 0), "answer " + i, 5, 1000 + i % 300);
      peak = Math.max(peak, cache.weightedSize());
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    cache.bindTo(registry);

    assertThat(peak).isLessThanOrEqualTo(bound).isGreaterThan(bound - 2 * (1300 + CacheKey.WEIGHT));
    assertThat(
            cache.entries()
                + (long) registry.get("classifier.cache.evictions").functionCounter().count())
        .as("every entry is either held or was evicted")
        .isEqualTo(10_000);
  }

  @Test
  void anAnswerHeavierThanTheWholeBoundIsNotKept() {
    cache.put(key(1, MODEL_A, false), "huge", 5, 2 * 1024 * 1024);

    assertThat(cache.get(key(1, MODEL_A, false), 1)).isNull();
    assertThat(cache.weightedSize()).isZero();
  }

  @Test
  void theEntityTagFollowsImagesModelExplanationAndTopK() {
    List<CacheKey> one = List.of(key(1, MODEL_A, false));

    assertThat(CacheKey.etag(one, 5)).startsWith("W/\"").endsWith("\"").hasSize(64 + 4);
    assertThat(CacheKey.etag(one, 5)).isEqualTo(CacheKey.etag(List.of(key(1, MODEL_A, false)), 5));
    assertThat(CacheKey.etag(one, 5))
        .isNotEqualTo(CacheKey.etag(one, 4))
        .isNotEqualTo(CacheKey.etag(List.of(key(1, MODEL_B, false)), 5))
        .isNotEqualTo(CacheKey.etag(List.of(key(1, MODEL_A, true)), 5))
        .isNotEqualTo(CacheKey.etag(List.of(key(1, MODEL_A, false), key(2, MODEL_A, false)), 5));
  }
}
