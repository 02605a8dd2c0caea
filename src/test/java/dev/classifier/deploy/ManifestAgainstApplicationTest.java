package dev.classifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.inference.Threading;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each overlay of k8s/, composed kustomize-style and parsed strictly into Kubernetes API types, is
 * checked against the application it deploys: probe paths and ports come from the application's own
 * configuration, memory from the measured RSS, CPU from the inference thread settings.
 */
class ManifestAgainstApplicationTest {

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void everyResourceParsesStrictlyAndLandsInTheNamespace(String overlay) {
    List<HasMetadata> resources = Overlay.build(overlay).resources();

    assertThat(resources)
        .extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder(
            "ConfigMap",
            "Secret",
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "NetworkPolicy");
    assertThat(resources)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsOnly("classifier");
    assertThat(resources)
        .extracting(r -> r.getMetadata().getLabels().get("app.kubernetes.io/part-of"))
        .containsOnly("image-classification");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void probesTargetTheHealthGroupsTheApplicationServes(String overlay) {
    Overlay o = Overlay.build(overlay);
    ServedEndpoints served = o.servedEndpoints();
    Container c = o.serviceContainer();

    assertThat(served.probesEnabled()).as("management.endpoint.health.probes.enabled").isTrue();
    // An empty include list means Spring Boot's default exposure, which is health only.
    assertThat(
            served.exposedEndpoints().isEmpty()
                || served.exposedEndpoints().contains("health")
                || served.exposedEndpoints().contains("*"))
        .as("health exposed over HTTP")
        .isTrue();
    assertProbe(o, c.getStartupProbe(), served.readinessPath(), served.port());
    assertProbe(o, c.getReadinessProbe(), served.readinessPath(), served.port());
    assertProbe(o, c.getLivenessProbe(), served.livenessPath(), served.port());
    assertThat(o.deployment().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/path", served.prometheusPath())
        .containsEntry("prometheus.io/port", String.valueOf(served.port()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void configMapKeysAreDeclaredApplicationProperties(String overlay) {
    ServedEndpoints config = Overlay.build(overlay).servedEndpoints();

    assertThat(config.environment())
        .allSatisfy((key, value) -> assertThat(key).matches("[A-Z0-9_]+"));
    assertThat(config.undeclaredClassifierKeys()).isEmpty();
    // Binding also converts every value: an unknown provider or malformed duration fails here.
    assertThat(config.classifier().model().path()).isEqualTo(Path.of("/models/xception.onnx"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void startupProbeOutlastsModelLoadAndWarmUp(String overlay) {
    Probe startup = Overlay.build(overlay).serviceContainer().getStartupProbe();

    // Model load + warm-up measured at 5-15 s on a shared 2-core machine; a cold node pulls and
    // maps more.
    assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
        .isGreaterThanOrEqualTo(120);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void cpuLimitMatchesInferenceThreads(String overlay) {
    Overlay o = Overlay.build(overlay);
    ClassifierProperties.Inference inference = o.servedEndpoints().classifier().inference();
    BigDecimal cpuLimit =
        o.serviceContainer().getResources().getLimits().get("cpu").getNumericalAmount();

    if (inference.threading() == Threading.ADAPTIVE) {
      assertThat(cpuLimit.stripTrailingZeros().scale())
          .as(
              "a whole number of CPUs: the JVM rounds a fractional quota up, and adaptive threading"
                  + " runs one worker per CPU it sees")
          .isLessThanOrEqualTo(0);
      assertThat(cpuLimit).isGreaterThanOrEqualTo(BigDecimal.ONE);
    } else {
      assertThat(inference.intraOpThreads())
          .as("set explicitly under fixed threading: 0 would divide what the JVM sees")
          .isPositive();
      assertThat(BigDecimal.valueOf((long) inference.intraOpThreads() * inference.workers()))
          .isEqualByComparingTo(cpuLimit);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void memoryLimitFitsMeasuredRss(String overlay) throws IOException {
    Properties measured = new Properties();
    try (Reader in = Files.newBufferedReader(Overlay.K8S.resolve("measured-memory.properties"))) {
      measured.load(in);
    }
    BigDecimal rss =
        new BigDecimal(measured.getProperty("rss.under.load.mib"))
            .multiply(BigDecimal.valueOf(1 << 20));
    BigDecimal headroom = new BigDecimal(measured.getProperty("limit.headroom.factor"));
    Map<String, Quantity> limits =
        Overlay.build(overlay).serviceContainer().getResources().getLimits();
    Map<String, Quantity> requests =
        Overlay.build(overlay).serviceContainer().getResources().getRequests();

    assertThat(limits.get("memory").getNumericalAmount())
        .isGreaterThanOrEqualTo(rss.multiply(headroom));
    assertThat(requests.get("memory").getNumericalAmount())
        .as("request = limit: no memory overcommit")
        .isEqualByComparingTo(limits.get("memory").getNumericalAmount());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void terminationGraceCoversPreStopAndDrain(String overlay) {
    Overlay o = Overlay.build(overlay);
    ServedEndpoints served = o.servedEndpoints();
    long preStop = o.serviceContainer().getLifecycle().getPreStop().getSleep().getSeconds();
    Duration drain = served.shutdownPhaseTimeout();
    Duration readinessGrace = served.classifier().shutdown().readinessGrace();

    assertThat(served.shutdown()).isEqualToIgnoringCase("graceful");
    assertThat(preStop)
        .as("preStop must outlast endpoint removal + LB health checks")
        .isGreaterThanOrEqualTo(5);
    assertThat(o.deployment().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isGreaterThan(preStop + readinessGrace.toSeconds() + drain.toSeconds());
    assertThat(drain)
        .as("in-flight requests may wait request-timeout in the queue")
        .isGreaterThanOrEqualTo(served.classifier().batching().requestTimeout());
  }

  private static void assertProbe(Overlay o, Probe probe, String path, int port) {
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get.getPath()).isEqualTo(path);
    assertThat(o.containerPort(get.getPort())).isEqualTo(port);
    assertThat(probe.getTimeoutSeconds()).isLessThan(probe.getPeriodSeconds());
  }
}
