package dev.classifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizeTest {

  @TempDir Path dir;

  @Test
  void overlayPatchMergesContainersByNameAndReplacesOtherLists() throws IOException {
    write(
        "base/kustomization.yaml",
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [deployment.yaml]
        """);
    write(
        "base/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d}
        spec:
          template:
            spec:
              tolerations: [{key: a, operator: Exists}]
              containers:
                - {name: app, image: app:1, resources: {limits: {cpu: "2", memory: 1Gi}}}
                - {name: sidecar, image: side:1}
        """);
    write(
        "overlay/kustomization.yaml",
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: ns
        resources: [../base]
        images: [{name: app, newName: app-gpu, newTag: "2"}]
        labels: [{pairs: {team: t}, includeSelectors: false, includeTemplates: true}]
        patches: [{path: patch.yaml}]
        """);
    write(
        "overlay/patch.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d}
        spec:
          template:
            spec:
              tolerations: [{key: b, operator: Exists}]
              containers:
                - {name: app, resources: {limits: {memory: 3Gi, nvidia.com/gpu: "1"}}}
                - {name: sidecar, image: null}
        """);

    List<ObjectNode> out = new Kustomize().build(dir.resolve("overlay"));

    assertThat(out).hasSize(1);
    JsonNode d = out.get(0);
    JsonNode pod = d.at("/spec/template/spec");
    assertThat(d.at("/metadata/namespace").asText()).isEqualTo("ns");
    assertThat(d.at("/metadata/labels/team").asText()).isEqualTo("t");
    assertThat(d.at("/spec/template/metadata/labels/team").asText()).isEqualTo("t");
    assertThat(pod.at("/tolerations").toString())
        .isEqualTo("[{\"key\":\"b\",\"operator\":\"Exists\"}]");
    assertThat(pod.at("/containers/0").toString())
        .isEqualTo(
            "{\"name\":\"app\",\"image\":\"app-gpu:2\",\"resources\":{\"limits\":"
                + "{\"cpu\":\"2\",\"memory\":\"3Gi\",\"nvidia.com/gpu\":\"1\"}}}");
    assertThat(pod.at("/containers/1").toString()).isEqualTo("{\"name\":\"sidecar\"}");
  }

  @Test
  void unknownKustomizationFieldFails() throws IOException {
    write(
        "k/kustomization.yaml",
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        commonLabels: {a: b}
        """);

    assertThatThrownBy(() -> new Kustomize().build(dir.resolve("k")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("commonLabels");
  }

  @Test
  void patchWithoutMatchingResourceFails() throws IOException {
    write(
        "k/kustomization.yaml",
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [cm.yaml]
        patches: [{path: p.yaml}]
        """);
    write("k/cm.yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: config}}");
    write("k/p.yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: konfig}, data: {a: b}}");

    assertThatThrownBy(() -> new Kustomize().build(dir.resolve("k")))
        .hasMessage("patch p.yaml matches 0 resources");
  }

  @Test
  void patchDirectivesAreRefusedNotIgnored() throws IOException {
    write(
        "k/kustomization.yaml",
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [cm.yaml]
        patches: [{path: p.yaml}]
        """);
    write("k/cm.yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}");
    write("k/p.yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, $patch: replace}");

    assertThatThrownBy(() -> new Kustomize().build(dir.resolve("k")))
        .hasMessage("strategic merge directive $patch is not supported");
  }

  private void write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
