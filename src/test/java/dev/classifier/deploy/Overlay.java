package dev.classifier.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One overlay of k8s/, composed and strictly parsed, with typed access to the resources it holds.
 */
record Overlay(String name, List<HasMetadata> resources) {

  static final Path K8S = Path.of("k8s");

  static Overlay build(String name) {
    return new Overlay(
        name,
        new StrictManifests().parse(new Kustomize().build(K8S.resolve("overlays").resolve(name))));
  }

  Deployment deployment() {
    return single(Deployment.class);
  }

  Service service() {
    return single(Service.class);
  }

  HorizontalPodAutoscaler hpa() {
    return single(HorizontalPodAutoscaler.class);
  }

  PodDisruptionBudget pdb() {
    return single(PodDisruptionBudget.class);
  }

  NetworkPolicy networkPolicy() {
    return single(NetworkPolicy.class);
  }

  /** The container that serves HTTP (the only one with a port). */
  Container serviceContainer() {
    List<Container> serving =
        deployment().getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> !c.getPorts().isEmpty())
            .toList();
    if (serving.size() != 1) {
      throw new ManifestException(
          "expected exactly one container with ports, found " + serving.size());
    }
    return serving.get(0);
  }

  /**
   * Resolves a probe or Service port (number or container port name) to the container port number.
   */
  int containerPort(IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return serviceContainer().getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new ManifestException("no container port named " + port.getStrVal()))
        .getContainerPort();
  }

  /**
   * The environment the serving container sees: ConfigMaps from envFrom, then its own env entries.
   */
  Map<String, String> containerEnvironment() {
    Map<String, String> env = new HashMap<>();
    for (EnvFromSource source : serviceContainer().getEnvFrom()) {
      String configMapName = source.getConfigMapRef().getName();
      ConfigMap configMap =
          resources.stream()
              .filter(ConfigMap.class::isInstance)
              .map(ConfigMap.class::cast)
              .filter(c -> c.getMetadata().getName().equals(configMapName))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ManifestException(
                          "envFrom references missing ConfigMap " + configMapName));
      env.putAll(configMap.getData());
    }
    serviceContainer().getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }

  ServedEndpoints servedEndpoints() {
    return ServedEndpoints.resolve(ServedEndpoints.MAIN_RESOURCES, containerEnvironment());
  }

  private <T extends HasMetadata> T single(Class<T> type) {
    List<T> matches = resources.stream().filter(type::isInstance).map(type::cast).toList();
    if (matches.size() != 1) {
      throw new ManifestException(
          name + ": expected one " + type.getSimpleName() + ", found " + matches.size());
    }
    return matches.get(0);
  }
}
