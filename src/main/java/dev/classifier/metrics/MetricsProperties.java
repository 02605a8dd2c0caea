package dev.classifier.metrics;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Extra latency bucket boundaries under {@code classifier.metrics.slo}: the fixed 1 ms – 30 s
 * buckets are meant for dashboards, these make an operator's own objective (say 250 ms) an exact
 * bucket, so the share of requests within it is read off directly rather than interpolated.
 */
@ConfigurationProperties("classifier.metrics")
record MetricsProperties(@DefaultValue List<Duration> slo) {}
