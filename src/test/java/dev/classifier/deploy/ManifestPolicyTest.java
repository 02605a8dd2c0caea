package dev.classifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.security.SecurityProperties;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment rules beyond the application's own settings: selectors that select, capacity kept
 * during rollouts and drains, locked-down containers, the HTTP and gRPC ports only reachable, and
 * what each overlay changes.
 */
class ManifestPolicyTest {

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void everySelectorSelectsThePodTemplate(String overlay) {
    Overlay o = Overlay.build(overlay);
    Deployment d = o.deployment();
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();

    assertSelects(d.getSpec().getSelector(), podLabels);
    assertThat(podLabels).containsAllEntriesOf(o.service().getSpec().getSelector());
    assertSelects(o.pdb().getSpec().getSelector(), podLabels);
    assertSelects(o.networkPolicy().getSpec().getPodSelector(), podLabels);
    d.getSpec()
        .getTemplate()
        .getSpec()
        .getTopologySpreadConstraints()
        .forEach(t -> assertSelects(t.getLabelSelector(), podLabels));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void autoscalerTargetsTheDeploymentAndKeepsTwoReplicas(String overlay) {
    Overlay o = Overlay.build(overlay);
    var target = o.hpa().getSpec().getScaleTargetRef();

    assertThat(target.getApiVersion()).isEqualTo(o.deployment().getApiVersion());
    assertThat(target.getKind()).isEqualTo("Deployment");
    assertThat(target.getName()).isEqualTo(o.deployment().getMetadata().getName());
    assertThat(o.hpa().getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(o.hpa().getSpec().getMaxReplicas())
        .isGreaterThan(o.hpa().getSpec().getMinReplicas());
    // HPA CPU utilisation is relative to the request, so the request must exist.
    assertThat(o.serviceContainer().getResources().getRequests()).containsKey("cpu");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void disruptionBudgetAllowsDrainButKeepsOnePodServing(String overlay) {
    Overlay o = Overlay.build(overlay);
    int minReplicas = o.hpa().getSpec().getMinReplicas();
    var pdb = o.pdb().getSpec();

    assertThat(pdb.getMinAvailable())
        .as("use maxUnavailable so scaling does not block drains")
        .isNull();
    assertThat(pdb.getMaxUnavailable().getIntVal()).isBetween(1, minReplicas - 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void rolloutNeverReducesCapacityAndSpreadsAcrossNodes(String overlay) {
    var spec = Overlay.build(overlay).deployment().getSpec();

    assertThat(spec.getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(spec.getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(spec.getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(spec.getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isPositive();
    assertThat(spec.getTemplate().getSpec().getTopologySpreadConstraints())
        .anySatisfy(t -> assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void containersRunLockedDownWithWritableDirsOnEmptyDir(String overlay) {
    Overlay o = Overlay.build(overlay);
    PodSpec pod = o.deployment().getSpec().getTemplate().getSpec();
    Path modelDir = o.servedEndpoints().classifier().model().path().getParent();

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    for (Container c : concat(pod.getInitContainers(), pod.getContainers())) {
      SecurityContext sc = c.getSecurityContext();
      assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
      assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
      assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
      assertThat(sc.getCapabilities().getAdd()).as(c.getName()).isEmpty();
      assertThat(c.getResources().getLimits()).as(c.getName()).containsKeys("cpu", "memory");
    }
    Container service = o.serviceContainer();
    assertThat(emptyDirMountedAt(pod, service, Path.of("/tmp"))).isTrue();
    assertThat(emptyDirMountedAt(pod, service, modelDir)).as("model cache " + modelDir).isTrue();
    assertThat(pod.getInitContainers())
        .as("an init container fills the model cache")
        .anySatisfy(
            init ->
                assertThat(
                        emptyDirMountedAt(pod, init, modelDir)
                            || init.getVolumeMounts().stream()
                                .anyMatch(m -> isEmptyDir(pod, m.getName())))
                    .isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void onlyTheApiPortsArePublicAndManagementOnlyFromMonitoring(String overlay) {
    Overlay o = Overlay.build(overlay);
    var policy = o.networkPolicy().getSpec();
    int apiPort = o.servedEndpoints().apiPort();
    int grpcPort = o.servedEndpoints().grpcPort();
    int managementPort = o.servedEndpoints().port();

    assertThat(managementPort)
        .as("management.server.port apart from the API")
        .isNotEqualTo(apiPort);
    assertThat(policy.getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getIngress()).hasSize(2);
    var api = policy.getIngress().get(0);
    assertThat(api.getFrom()).as("the API and gRPC from anywhere").isNullOrEmpty();
    List<NetworkPolicyPort> ports = api.getPorts();
    assertThat(ports)
        .extracting(p -> o.containerPort(p.getPort()))
        .containsExactly(apiPort, grpcPort);
    var management = policy.getIngress().get(1);
    assertThat(management.getPorts()).hasSize(1);
    assertThat(o.containerPort(management.getPorts().get(0).getPort())).isEqualTo(managementPort);
    assertThat(management.getFrom())
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getIpBlock()).isNull();
              assertThat(peer.getPodSelector()).isNull();
              assertThat(peer.getNamespaceSelector().getMatchLabels())
                  .containsExactly(Map.entry("classifier.dev/monitoring", "true"));
            });
    assertThat(o.service().getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(o.service().getSpec().getPorts())
        .extracting(
            p -> p.getName(), p -> o.containerPort(p.getTargetPort()), p -> p.getAppProtocol())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("http", apiPort, null),
            org.assertj.core.groups.Tuple.tuple("grpc", grpcPort, "kubernetes.io/h2c"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void apiCallsNeedKeysFromTheMountedSecret(String overlay) {
    Overlay o = Overlay.build(overlay);
    SecurityProperties security = o.servedEndpoints().security();
    PodSpec pod = o.deployment().getSpec().getTemplate().getSpec();
    Container c = o.serviceContainer();

    assertThat(security.enabled()).isTrue();
    assertThat(security.isConfigured()).isTrue();
    Path keyFile = security.apiKeys().file();
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(m -> keyFile.startsWith(m.getMountPath()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no mount holds " + keyFile));
    assertThat(mount.getReadOnly()).isTrue();
    assertThat(mount.getSubPath()).as("subPath mounts never see Secret updates").isNull();
    String secretName =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow()
            .getSecret()
            .getSecretName();
    Secret secret =
        o.resources().stream()
            .filter(Secret.class::isInstance)
            .map(Secret.class::cast)
            .filter(s -> s.getMetadata().getName().equals(secretName))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Secret " + secretName));
    assertThat(secret.getStringData()).containsKey(keyFile.getFileName().toString());
    assertThat(security.quotas().defaults().inFlight()).isPositive();
    assertThat(security.quotas().defaults().requestsPerSecond()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void overlaySelectsImageAndInferenceProvider(String overlay) {
    Overlay o = Overlay.build(overlay);
    boolean gpu = overlay.equals("gpu");
    PodSpec pod = o.deployment().getSpec().getTemplate().getSpec();
    Map<String, Quantity> limits = o.serviceContainer().getResources().getLimits();

    assertThat(o.serviceContainer().getImage())
        .startsWith(gpu ? "xception-classifier-gpu:" : "xception-classifier:");
    assertThat(o.servedEndpoints().classifier().inference().provider().name())
        .isEqualToIgnoringCase(gpu ? "cuda" : "cpu");
    if (gpu) {
      assertThat(limits.get("nvidia.com/gpu")).isEqualTo(new Quantity("1"));
      assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
      assertThat(pod.getTolerations())
          .anySatisfy(
              t -> {
                assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
                assertThat(t.getEffect()).isEqualTo("NoSchedule");
              });
    } else {
      assertThat(limits).doesNotContainKey("nvidia.com/gpu");
      assertThat(pod.getNodeSelector()).isEmpty();
      assertThat(pod.getTolerations()).isEmpty();
    }
  }

  private static void assertSelects(LabelSelector selector, Map<String, String> labels) {
    assertThat(selector.getMatchExpressions())
        .as("only matchLabels selectors are checked here")
        .isEmpty();
    assertThat(selector.getMatchLabels()).isNotEmpty();
    assertThat(labels).containsAllEntriesOf(selector.getMatchLabels());
  }

  private static boolean emptyDirMountedAt(PodSpec pod, Container c, Path dir) {
    return c.getVolumeMounts().stream()
        .filter(m -> Path.of(m.getMountPath()).equals(dir))
        .map(VolumeMount::getName)
        .anyMatch(name -> isEmptyDir(pod, name));
  }

  private static boolean isEmptyDir(PodSpec pod, String volume) {
    return pod.getVolumes().stream()
        .anyMatch(v -> v.getName().equals(volume) && v.getEmptyDir() != null);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
