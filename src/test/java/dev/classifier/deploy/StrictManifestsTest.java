package dev.classifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class StrictManifestsTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: d
      spec:
        selector:
          matchLabels: {app: a}
        template:
          metadata:
            labels: {app: a}
          spec:
            containers:
              - name: c
                image: i:1
                %s
      """;

  private final StrictManifests strict = new StrictManifests();

  @Test
  void knownFieldsParseIntoTypedObjects() throws Exception {
    Deployment d = (Deployment) strict.parse(yaml(DEPLOYMENT.formatted("imagePullPolicy: Never")));

    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy())
        .isEqualTo("Never");
  }

  @Test
  void misspelledFieldDeepInsideThePodSpecFails() throws Exception {
    JsonNode typo = yaml(DEPLOYMENT.formatted("readinesProbe: {periodSeconds: 5}"));

    assertThatThrownBy(() -> strict.parse(typo))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("Unrecognized field \"readinesProbe\"");
  }

  @Test
  void wrongApiVersionForTheKindFails() throws Exception {
    JsonNode beta = yaml(DEPLOYMENT.formatted("").replace("apps/v1", "extensions/v1beta1"));

    assertThatThrownBy(() -> strict.parse(beta))
        .isInstanceOf(ManifestException.class)
        .hasMessage("Deployment must be apiVersion apps/v1, was 'extensions/v1beta1'");
  }

  @Test
  void kindOutsideTheDeploymentFails() throws Exception {
    JsonNode ingress =
        yaml("{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: x}}");

    assertThatThrownBy(() -> strict.parse(ingress))
        .hasMessageStartingWith("unsupported kind 'Ingress'");
  }

  private static JsonNode yaml(String text) throws Exception {
    return new YAMLMapper().readTree(text);
  }
}
