package dev.classifier.config;

import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps serving for a configured pause after shutdown begins. Spring Boot turns readiness DOWN as
 * the context starts closing; this lifecycle stops first (highest phase), so during the pause a
 * load balancer sees readiness DOWN and stops routing here while requests already on their way are
 * still served. Then the web server's graceful shutdown drains what is in flight.
 */
class ReadinessGrace implements SmartLifecycle {

  private final Duration pause;
  private volatile boolean running;

  ReadinessGrace(Duration pause) {
    this.pause = pause;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (!pause.isZero()) {
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
