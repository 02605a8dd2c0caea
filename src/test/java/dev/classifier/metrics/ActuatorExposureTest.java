package dev.classifier.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TinyModelServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Only health, info and prometheus are reachable over HTTP, on the management port and not on the
 * API's, and info says what is deployed.
 */
class ActuatorExposureTest extends TinyModelServer {

  @Test
  void onlyHealthInfoAndPrometheusAreExposed() {
    HttpTestClient http = new HttpTestClient(managementPort);
    JsonNode links = HttpTestClient.json(http.get("/actuator")).get("_links");
    List<String> names = new ArrayList<>(links.propertyNames());
    assertThat(names)
        .containsExactlyInAnyOrder("self", "health", "health-path", "info", "prometheus");
    for (String hidden :
        List.of("env", "beans", "configprops", "metrics", "heapdump", "threaddump", "loggers")) {
      assertThat(http.get("/actuator/" + hidden).statusCode()).as(hidden).isEqualTo(404);
    }
  }

  @Test
  void theApiPortServesNoActuatorEndpoint() {
    HttpTestClient api = new HttpTestClient(port);
    for (String path :
        List.of("/actuator", "/actuator/health", "/actuator/info", "/actuator/prometheus")) {
      assertThat(api.get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(managementPort).isNotEqualTo(port);
  }

  @Test
  void infoShowsBuildGitAndModel() {
    HttpResponse<String> response = new HttpTestClient(managementPort).get("/actuator/info");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode info = HttpTestClient.json(response);
    assertThat(info.at("/build/version").asString()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(info.at("/build/artifact").asString()).isEqualTo("xception-classifier");
    assertThat(info.at("/git/commit/id").asString()).matches("[0-9a-f]{7,40}");
    assertThat(info.at("/model/name").asString()).isEqualTo("xception");
    assertThat(info.at("/model/weights").asString()).isEqualTo("synthetic:7");
    assertThat(info.at("/model/synthetic").asBoolean()).isTrue();
    assertThat(info.at("/model/provider").asString()).isEqualTo("CPU");
    assertThat(info.at("/model/sha256").asString()).matches("[0-9a-f]{64}");
    assertThat(info.at("/model/ready").asBoolean()).isTrue();
  }
}
