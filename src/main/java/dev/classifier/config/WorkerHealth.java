package dev.classifier.config;

import dev.classifier.inference.BatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Turns a dead inference worker into what the orchestrator acts on: liveness BROKEN (so the pod is
 * restarted) and readiness REFUSING_TRAFFIC (so the load balancer stops sending requests that could
 * only wait and fail).
 */
@Component
class WorkerHealth implements BatchListener {

  private static final Logger log = LoggerFactory.getLogger(WorkerHealth.class);

  private final ApplicationEventPublisher events;

  WorkerHealth(ApplicationEventPublisher events) {
    this.events = events;
  }

  @Override
  public void workerDied(String worker, Throwable cause) {
    log.error(
        "inference worker {} died; reporting liveness BROKEN so the process is restarted", worker);
    AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
    AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
  }
}
