package dev.classifier.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

/**
 * The image as built from the repository's Dockerfile: it becomes healthy through its own
 * HEALTHCHECK, runs as a non-root user within the container's memory, classifies a JPEG over HTTP
 * and exposes Prometheus metrics.
 */
@ExtendWith(DockerEngineCondition.class)
@Testcontainers
class ContainerImageIT {

  /**
   * Started once the Docker HEALTHCHECK (readiness) passes: the check itself is under test here.
   */
  @Container
  static final GenericContainer<?> CLASSIFIER =
      ClassifierContainers.classifier(
          ClassifierContainers.image(), "image", ReadyOrExited.dockerHealthcheck());

  private final ClassifierHttp http = new ClassifierHttp();

  @Test
  void healthcheckPassesOnlyOnceReadinessIsUp() {
    String health = CLASSIFIER.getCurrentContainerInfo().getState().getHealth().getStatus();
    HttpResponse<String> readiness =
        http.get(ClassifierContainers.managementUrl(CLASSIFIER) + "/actuator/health/readiness");

    assertThat(health).isEqualTo("healthy");
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(http.parse(readiness.body()).path("status").asString()).isEqualTo("UP");
  }

  @Test
  void runsAsTheNonRootServiceUser() throws Exception {
    ExecResult id = CLASSIFIER.execInContainer("id", "-u");

    assertThat(CLASSIFIER.getContainerInfo().getConfig().getUser()).isEqualTo("10001:10001");
    assertThat(id.getStdout().strip()).isEqualTo("10001");
  }

  @Test
  void heapIsAQuarterOfTheContainerMemoryLimit() throws Exception {
    // A JVM started like the service's (same image, same JDK_JAVA_OPTIONS) inside the 2 GiB
    // container.
    ExecResult flags = CLASSIFIER.execInContainer("java", "-XX:+PrintFlagsFinal", "-version");

    assertThat(flags.getStdout().lines().filter(line -> line.contains(" MaxHeapSize ")))
        .singleElement()
        .satisfies(
            line -> assertThat(line.split("=")[1].strip().split("\\s+")[0]).isEqualTo("536870912"));
  }

  @Test
  void labelsShipInTheImageAndTheSyntheticModelIsBuiltIntoTheModelsVolume() throws Exception {
    ExecResult models = CLASSIFIER.execInContainer("ls", "/app/models");

    assertThat(models.getStdout().lines()).contains("imagenet-labels.tsv", "xception.onnx");
    assertThat(CLASSIFIER.getContainerInfo().getMounts())
        .anySatisfy(mount -> assertThat(mount.getDestination().getPath()).isEqualTo("/app/models"));
  }

  @Test
  void classifiesAJpegSentOverHttp() {
    HttpResponse<String> response =
        http.classify(ClassifierContainers.baseUrl(CLASSIFIER), ClassifierHttp.gradientJpeg(), 5);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = http.parse(response.body());
    assertThat(body.path("model").path("name").asString()).isEqualTo("xception");
    assertThat(body.path("model").path("weights").asString()).isEqualTo("synthetic:42");
    assertThat(body.path("results").size()).isEqualTo(1);
    List<Integer> ranks = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    body.path("results")
        .get(0)
        .path("predictions")
        .forEach(
            prediction -> {
              ranks.add(prediction.path("rank").asInt());
              scores.add(prediction.path("score").asDouble());
            });
    assertThat(ranks).containsExactly(1, 2, 3, 4, 5);
    assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    // The image installs libjpeg-turbo, so this JPEG took the service's native decoding path.
    assertThat(CLASSIFIER.getLogs())
        .contains("TurboJPEG fast path enabled from /usr/share/java/turbojpeg.jar");
  }

  @Test
  void prometheusScrapeCountsTheClassifyRequest() {
    String baseUrl = ClassifierContainers.baseUrl(CLASSIFIER);
    assertThat(http.classify(baseUrl, ClassifierHttp.gradientJpeg(), 1).statusCode())
        .isEqualTo(200);

    HttpResponse<String> scrape =
        http.get(ClassifierContainers.managementUrl(CLASSIFIER) + "/actuator/prometheus");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(scrape.body().lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("http_server_requests_seconds_count{")
                    .contains("uri=\"/v1/classify\"", "status=\"200\""));
  }
}
