package dev.classifier.core;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The result cache under {@code classifier.cache}: off by default (an answer is then always
 * computed afresh); when on, at most {@code maxSize} of answers kept for at most {@code ttl}, and
 * HTTP responses may be kept privately for as long.
 *
 * @param enabled whether repeated images are answered from the cache
 * @param maxSize the byte bound over all entries, keys included
 * @param ttl how long an answer is kept, and the {@code Cache-Control: max-age}
 */
@Validated
@ConfigurationProperties("classifier.cache")
public record ResultCacheProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("64MB") DataSize maxSize,
    @DefaultValue("10m") Duration ttl) {

  public ResultCacheProperties {
    if (maxSize.toBytes() < 1 || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException(
          "classifier.cache.max-size and classifier.cache.ttl must be positive");
    }
  }
}
