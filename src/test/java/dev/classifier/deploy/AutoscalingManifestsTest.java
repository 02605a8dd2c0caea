package dev.classifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.classifier.config.ClassifierProperties;
import dev.classifier.inference.Threading;
import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.PrometheusScrape;
import dev.classifier.testing.TinyModelServer;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The autoscalers as {@code kubectl kustomize} renders them, held against the running service and
 * the overlay's own configuration: the metric they scale on must be a series the service really
 * exports (scraped from a running tiny-model instance), and the per-pod target must lie between
 * what the pod's workers run at once and that plus half its queue (see k8s/README.md,
 * "Autoscaling"): lower and pods are added before their batches fill, higher and a burst meets 429s
 * before new pods are ready.
 */
class AutoscalingManifestsTest extends TinyModelServer {

  private static final String SIGNAL = "classifier_images_in_flight";

  @Test
  void theGpuHpaScalesOnImagesInFlightWithATargetTheQueueCanHold() {
    Overlay gpu = render("gpu");
    List<MetricSpec> metrics = gpu.hpa().getSpec().getMetrics();

    assertThat(metrics).singleElement().extracting(MetricSpec::getType).isEqualTo("Pods");
    assertThat(metrics.get(0).getPods().getMetric().getName()).isEqualTo(SIGNAL);
    assertThat(metrics.get(0).getPods().getTarget().getType()).isEqualTo("AverageValue");
    assertExported(metrics.get(0).getPods().getMetric().getName());
    assertTargetFits(
        gpu,
        metrics.get(0).getPods().getTarget().getAverageValue().getNumericalAmount().intValue());
  }

  @Test
  void thePrometheusAdapterServesTheSeriesTheGpuHpaNames() throws Exception {
    String metric =
        render("gpu").hpa().getSpec().getMetrics().get(0).getPods().getMetric().getName();
    List<JsonNode> adapter = new Kustomize().build(Overlay.K8S.resolve("prometheus-adapter"));
    JsonNode config =
        new YAMLMapper().readTree(adapter.get(0).path("data").path("config.yaml").asText());

    JsonNode rule = config.path("rules").get(0);
    assertThat(config.path("rules")).hasSize(1);
    assertThat(rule.path("seriesQuery").asText()).startsWith(metric + "{");
    assertThat(rule.path("name").path("as").asText()).isEqualTo(metric);
    assertThat(rule.path("resources").path("overrides").path("pod").path("resource").asText())
        .isEqualTo("pod");
    assertThat(rule.path("resources").path("overrides").path("namespace").path("resource").asText())
        .isEqualTo("namespace");
  }

  @Test
  void theKedaOverlayScalesOnTheSameSignalAndTargetAndHasNoHpaOfItsOwn() {
    List<JsonNode> documents = new Kustomize().build(overlayDir("gpu-keda"));
    Overlay keda = typed("gpu-keda", documents);
    HorizontalPodAutoscaler gpuHpa = render("gpu").hpa();
    JsonNode scaled = single(documents, "ScaledObject");
    JsonNode trigger = scaled.path("spec").path("triggers").get(0);
    String namespace = keda.deployment().getMetadata().getNamespace();

    assertThat(keda.resources())
        .noneMatch(r -> r instanceof HorizontalPodAutoscaler)
        .as("KEDA creates the HPA; a second one would fight it");
    assertThat(scaled.path("metadata").path("namespace").asText()).isEqualTo(namespace);
    assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText())
        .isEqualTo(keda.deployment().getMetadata().getName());
    assertThat(scaled.path("spec").path("minReplicaCount").asInt())
        .isEqualTo(gpuHpa.getSpec().getMinReplicas());
    assertThat(scaled.path("spec").path("maxReplicaCount").asInt())
        .isEqualTo(gpuHpa.getSpec().getMaxReplicas());
    assertThat(scaled.path("spec").path("triggers")).hasSize(1);
    assertThat(trigger.path("type").asText()).isEqualTo("prometheus");
    // AverageValue: the query's sum over pods is divided by the replicas, so the threshold is per
    // pod.
    assertThat(trigger.path("metricType").asText()).isEqualTo("AverageValue");
    String query = trigger.path("metadata").path("query").asText();
    assertThat(query)
        .startsWith("sum(")
        .contains(SIGNAL + "{")
        .contains("namespace=\"" + namespace + "\"");
    assertExported(SIGNAL);
    int threshold = Integer.parseInt(trigger.path("metadata").path("threshold").asText());
    assertThat(threshold)
        .isEqualTo(
            gpuHpa
                .getSpec()
                .getMetrics()
                .get(0)
                .getPods()
                .getTarget()
                .getAverageValue()
                .getNumericalAmount()
                .intValue());
    assertTargetFits(keda, threshold);
  }

  @Test
  void theCpuOverlayKeepsScalingOnCpuUtilisation() {
    List<MetricSpec> metrics = render("cpu").hpa().getSpec().getMetrics();

    assertThat(metrics).singleElement().extracting(MetricSpec::getType).isEqualTo("Resource");
    assertThat(metrics.get(0).getResource().getName()).isEqualTo("cpu");
  }

  /**
   * workers x max batch size <= target <= workers x max batch size + queue capacity / 2, with the
   * workers the pod really runs: one per CPU of the limit under adaptive threading.
   */
  private static void assertTargetFits(Overlay overlay, int target) {
    ClassifierProperties properties = overlay.servedEndpoints().classifier();
    ClassifierProperties.Batching batching = properties.batching();
    int workers =
        properties.inference().threading() == Threading.ADAPTIVE
            ? overlay
                .serviceContainer()
                .getResources()
                .getLimits()
                .get("cpu")
                .getNumericalAmount()
                .intValueExact()
            : properties.inference().workers();
    int running = workers * batching.maxBatchSize();

    assertThat(target)
        .as(
            "target vs %d workers x batch %d, queue %d",
            workers, batching.maxBatchSize(), batching.queueCapacity())
        .isBetween(running, running + batching.queueCapacity() / 2);
  }

  private void assertExported(String metric) {
    HttpTestClient http = new HttpTestClient(managementPort);
    PrometheusScrape scrape = new PrometheusScrape(http.get("/actuator/prometheus").body());
    assertThat(scrape.has(metric)).as("the service exports %s", metric).isTrue();
  }

  private static Overlay render(String name) {
    return typed(name, new Kustomize().build(overlayDir(name)));
  }

  /** The Kubernetes kinds typed and strictly checked; custom resources (KEDA) stay JSON. */
  private static Overlay typed(String name, List<JsonNode> documents) {
    return new Overlay(
        name,
        new StrictManifests()
            .parse(
                documents.stream()
                    .filter(d -> !d.path("apiVersion").asText().startsWith("keda.sh/"))
                    .toList()));
  }

  private static JsonNode single(List<JsonNode> documents, String kind) {
    List<JsonNode> matches =
        documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    assertThat(matches).as(kind).hasSize(1);
    return matches.get(0);
  }

  private static java.nio.file.Path overlayDir(String name) {
    return Overlay.K8S.resolve("overlays").resolve(name);
  }
}
