package dev.classifier.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

/**
 * Two containers of one image behave as stateless replicas (same answer from either), and SIGTERM
 * to one of them while it serves a request lets that request complete before the container exits.
 * The SIGTERM test stops its replica, so it runs last.
 */
@ExtendWith(DockerEngineCondition.class)
@Testcontainers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

  private static final ImageFromDockerfile IMAGE = ClassifierContainers.image();
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

  @Container
  static final GenericContainer<?> FIRST =
      ClassifierContainers.classifier(IMAGE, "replica-1", ReadyOrExited.readinessEndpoint());

  @Container
  static final GenericContainer<?> SECOND =
      ClassifierContainers.classifier(IMAGE, "replica-2", ReadyOrExited.readinessEndpoint());

  private final ClassifierHttp http = new ClassifierHttp();
  private final byte[] jpeg = ClassifierHttp.gradientJpeg();

  @Test
  @Order(1)
  void bothReplicasGiveTheSameTopFiveForTheSameImage() {
    HttpResponse<String> first = http.classify(ClassifierContainers.baseUrl(FIRST), jpeg, 5);
    HttpResponse<String> second = http.classify(ClassifierContainers.baseUrl(SECOND), jpeg, 5);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    JsonNode firstTop = predictions(first.body());
    JsonNode secondTop = predictions(second.body());
    assertThat(firstTop.size()).isEqualTo(5);
    assertThat(secondTop.size()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(secondTop.get(i).path("index").asInt())
          .isEqualTo(firstTop.get(i).path("index").asInt());
      assertThat(secondTop.get(i).path("score").asDouble())
          .isCloseTo(firstTop.get(i).path("score").asDouble(), within(1e-6));
    }
    assertThat(http.parse(second.body()).path("requestId").asString())
        .isNotEqualTo(http.parse(first.body()).path("requestId").asString());
  }

  @Test
  @Order(2)
  void sigtermDuringARequestLetsThatRequestCompleteBeforeExit() throws Exception {
    String head =
        "POST /v1/classify?topK=3 HTTP/1.0\r\nHost: localhost\r\nContent-Type: image/jpeg\r\n"
            + "Content-Length: "
            + jpeg.length
            + "\r\n\r\n";
    int half = jpeg.length / 2;
    DockerClient docker = SECOND.getDockerClient();
    String id = SECOND.getContainerId();
    try (Socket socket =
        new Socket(SECOND.getHost(), SECOND.getMappedPort(ClassifierContainers.HTTP_PORT))) {
      socket.setSoTimeout((int) SHUTDOWN_TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      // Half the body: the request is now inside the service, blocked reading the rest.
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(jpeg, 0, half);
      out.flush();
      await("the service to report one POST in flight", this::secondHasPostInFlight);

      docker.killContainerCmd(id).withSignal("SIGTERM").exec();
      // Either the graceful drain has begun or (were shutdown not graceful) the container is
      // already gone.
      await(
          "shutdown to begin",
          () ->
              SECOND.getLogs().contains("Commencing graceful shutdown")
                  || !Boolean.TRUE.equals(
                      SECOND.getCurrentContainerInfo().getState().getRunning()));
      String response = finish(socket, jpeg, half);

      assertThat(response)
          .as("response to the request in flight at SIGTERM")
          .startsWith("HTTP/1.1 200");
      assertThat(predictions(response.substring(response.indexOf("\r\n\r\n") + 4)).size())
          .isEqualTo(3);
    }
    Integer exitCode =
        docker
            .waitContainerCmd(id)
            .start()
            .awaitStatusCode(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    // 128 + SIGTERM: the JVM ended through its shutdown hooks, not through Docker's SIGKILL.
    assertThat(exitCode).isEqualTo(143);
    assertThat(SECOND.getLogs()).contains("Graceful shutdown complete");
    assertThat(http.classify(ClassifierContainers.baseUrl(FIRST), jpeg, 1).statusCode())
        .as("the other replica keeps serving")
        .isEqualTo(200);
  }

  /** The top-k of the one image a raw-body request carries. */
  private JsonNode predictions(String body) {
    return http.parse(body).path("results").path(0).path("predictions");
  }

  /**
   * The scrape request itself is a GET, so an active POST can only be the half-sent classify
   * request.
   */
  private boolean secondHasPostInFlight() {
    String scrape =
        http.get(ClassifierContainers.managementUrl(SECOND) + "/actuator/prometheus").body();
    return scrape
        .lines()
        .filter(line -> line.startsWith("http_server_requests_active_seconds_count{"))
        .filter(line -> line.contains("method=\"POST\""))
        .anyMatch(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1.0);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + SHUTDOWN_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + SHUTDOWN_TIMEOUT + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /**
   * Sends the rest of the body and reads the whole response; a dropped connection yields what was
   * read.
   */
  private static String finish(Socket socket, byte[] body, int from) {
    try {
      socket.getOutputStream().write(body, from, body.length - from);
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "connection failed: " + e;
    }
  }
}
