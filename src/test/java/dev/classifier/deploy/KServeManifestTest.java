package dev.classifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k8s/kserve rendered by the real {@code kubectl kustomize} and checked against the application: a
 * ServingRuntime for ONNX that speaks V2 over REST and gRPC, on the ports the application listens
 * on, probed on V2 health paths the application serves, with its model where KServe's storage
 * initializer puts it; and an InferenceService that uses it.
 */
class KServeManifestTest {

  private static final List<JsonNode> RESOURCES =
      new Kustomize().build(Overlay.K8S.resolve("kserve"));

  private static final ServedEndpoints SERVED =
      ServedEndpoints.resolve(ServedEndpoints.MAIN_RESOURCES, Map.of());

  private static JsonNode single(String kind) {
    List<JsonNode> found =
        RESOURCES.stream().filter(r -> kind.equals(r.path("kind").asText())).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  private static JsonNode container() {
    JsonNode containers = single("ServingRuntime").path("spec").path("containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  @Test
  void rendersARuntimeAndAnInferenceServiceInTheNamespace() {
    assertThat(RESOURCES)
        .extracting(r -> r.path("apiVersion").asText() + " " + r.path("kind").asText())
        .containsExactlyInAnyOrder(
            "serving.kserve.io/v1alpha1 ServingRuntime",
            "serving.kserve.io/v1beta1 InferenceService");
    assertThat(RESOURCES)
        .extracting(r -> r.path("metadata").path("namespace").asText())
        .containsOnly("classifier");
  }

  @Test
  void theRuntimeSpeaksV2OverRestAndGrpcForOnnx() {
    JsonNode spec = single("ServingRuntime").path("spec");
    assertThat(texts(spec.path("protocolVersions"))).containsExactly("v2", "grpc-v2");
    assertThat(texts(spec.path("supportedModelFormats"), "name")).containsExactly("onnx");
    assertThat(container().path("name").asText()).isEqualTo("kserve-container");
  }

  @Test
  void itsPortsAreTheApplicationsHttpAndGrpcPorts() {
    JsonNode ports = container().path("ports");
    assertThat(texts(ports, "name")).containsExactly("http", "grpc");
    assertThat(ports.get(0).path("containerPort").asInt()).isEqualTo(SERVED.apiPort());
    assertThat(ports.get(1).path("containerPort").asInt()).isEqualTo(SERVED.grpcPort());
    assertThat(SERVED.apiPort()).as("the HTTP port KServe routes REST to").isEqualTo(8080);
    assertThat(SERVED.grpcPort()).as("the gRPC port KServe's custom runtimes use").isEqualTo(8081);
  }

  @Test
  void probesHitTheV2HealthEndpointsOnTheHttpPort() {
    JsonNode container = container();
    for (String probe : List.of("readinessProbe", "startupProbe")) {
      assertThat(container.path(probe).path("httpGet").path("path").asText())
          .as(probe)
          .isEqualTo("/v2/health/ready");
      assertThat(container.path(probe).path("httpGet").path("port").asInt())
          .isEqualTo(SERVED.apiPort());
    }
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/v2/health/live");
    assertThat(container.path("livenessProbe").path("httpGet").path("port").asInt())
        .isEqualTo(SERVED.apiPort());
  }

  @Test
  void theModelIsWhereKServesStorageInitializerPutsIt() {
    String modelPath = null;
    for (JsonNode env : container().path("env")) {
      if ("CLASSIFIER_MODEL_PATH".equals(env.path("name").asText())) {
        modelPath = env.path("value").asText();
      }
    }
    assertThat(modelPath).startsWith("/mnt/models/");
    assertThat(
            ServedEndpoints.resolve(
                    ServedEndpoints.MAIN_RESOURCES, Map.of("CLASSIFIER_MODEL_PATH", modelPath))
                .classifier()
                .model()
                .path())
        .isEqualTo(Path.of(modelPath));
  }

  @Test
  void theInferenceServiceUsesTheRuntimeAsARawDeployment() {
    JsonNode isvc = single("InferenceService");
    JsonNode model = isvc.path("spec").path("predictor").path("model");
    assertThat(model.path("runtime").asText())
        .isEqualTo(single("ServingRuntime").path("metadata").path("name").asText());
    assertThat(model.path("modelFormat").path("name").asText()).isEqualTo("onnx");
    assertThat(model.path("protocolVersion").asText()).isEqualTo("v2");
    assertThat(
            isvc.path("metadata")
                .path("annotations")
                .path("serving.kserve.io/deploymentMode")
                .asText())
        .as("Knative would expose one port only")
        .isEqualTo("RawDeployment");
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.path(field).asText()));
    return texts;
  }
}
