package dev.classifier.security;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the API key file every reload interval on one daemon thread, so a key added, rotated or
 * revoked in the Secret is in force at most one interval after the file changed (plus the kubelet's
 * own delay in updating a mounted Secret, up to about a minute). Revoked key ids' quota state is
 * dropped with them.
 */
final class ApiKeyReloader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyReloader.class);

  private final ApiKeys keys;
  private final Quotas quotas;
  private final ScheduledExecutorService timer;

  /** No key file: no API keys, nothing to poll. */
  ApiKeyReloader(Quotas quotas) {
    this.keys = null;
    this.quotas = quotas;
    this.timer = null;
  }

  ApiKeyReloader(ApiKeys keys, Quotas quotas, long intervalMillis) {
    this.keys = keys;
    this.quotas = quotas;
    if (!keys.reload()) {
      log.warn(
          "no API keys could be read at start-up: API keys are refused until the file is fixed");
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "api-keys-reload");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        this::reload, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** The keys in force, or null without a key file. */
  ApiKeys keys() {
    return keys;
  }

  private void reload() {
    try {
      if (keys.reload()) {
        quotas.retainKeys(keys.ids());
      }
    } catch (RuntimeException e) {
      // An exception would end the schedule and freeze the keys: log it and keep polling.
      log.warn("API key reload failed", e);
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
