package dev.classifier.container;

import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Waits until the service is ready, but fails as soon as the container has exited: Testcontainers'
 * own strategies keep polling a dead container until the startup timeout, which would cost minutes
 * of CI per broken start.
 */
final class ReadyOrExited extends AbstractWaitStrategy {

  private static final Duration POLL = Duration.ofMillis(500);

  private final boolean useDockerHealthcheck;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ReadyOrExited(boolean useDockerHealthcheck) {
    this.useDockerHealthcheck = useDockerHealthcheck;
  }

  /** Ready when the image's own HEALTHCHECK reports healthy. */
  static ReadyOrExited dockerHealthcheck() {
    return new ReadyOrExited(true);
  }

  /** Ready when {@code /actuator/health/readiness} answers 200 on the management port. */
  static ReadyOrExited readinessEndpoint() {
    return new ReadyOrExited(false);
  }

  @Override
  protected void waitUntilReady() {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (true) {
      ContainerState state = waitStrategyTarget.getCurrentContainerInfo().getState();
      if (!Boolean.TRUE.equals(state.getRunning())) {
        throw new ContainerLaunchException(
            "Container exited with code " + state.getExitCodeLong() + " before it became ready");
      }
      if (useDockerHealthcheck ? "healthy".equals(healthStatus(state)) : readinessIsUp()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new ContainerLaunchException(
            "Container not ready within "
                + startupTimeout
                + (useDockerHealthcheck ? " (health: " + healthStatus(state) + ")" : ""));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ContainerLaunchException("Interrupted while waiting for readiness", e);
      }
    }
  }

  private static String healthStatus(ContainerState state) {
    return state.getHealth() == null ? "no HEALTHCHECK" : state.getHealth().getStatus();
  }

  private boolean readinessIsUp() {
    URI readiness =
        URI.create(
            "http://"
                + waitStrategyTarget.getHost()
                + ":"
                + waitStrategyTarget.getMappedPort(ClassifierContainers.MANAGEMENT_PORT)
                + "/actuator/health/readiness");
    try {
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerLaunchException("Interrupted while waiting for readiness", e);
    }
  }
}
