package dev.classifier.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;

/**
 * Turns composed manifest trees into fabric8 Kubernetes API objects, refusing anything the API
 * types do not declare.
 *
 * <p>fabric8 model classes catch unknown fields in a {@code @JsonAnySetter} map (so a typo such as
 * {@code readinesProbe} would parse silently). The modifier below removes that any-setter from
 * every bean deserializer, so with {@link DeserializationFeature#FAIL_ON_UNKNOWN_PROPERTIES} an
 * unknown field fails the parse, at any depth.
 */
final class StrictManifests {

  /** The kinds this deployment uses, with the one API version each is written against. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "ConfigMap", ConfigMap.class,
          "Secret", Secret.class,
          "Service", Service.class,
          "Deployment", Deployment.class,
          "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "PodDisruptionBudget", PodDisruptionBudget.class,
          "NetworkPolicy", NetworkPolicy.class);

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .addModule(
              new SimpleModule("no-any-setter")
                  .setDeserializerModifier(
                      new BeanDeserializerModifier() {
                        @Override
                        public BeanDeserializerBuilder updateBuilder(
                            DeserializationConfig config,
                            BeanDescription description,
                            BeanDeserializerBuilder builder) {
                          builder.setAnySetter(null);
                          return builder;
                        }
                      }))
          .build();

  List<HasMetadata> parse(List<JsonNode> documents) {
    return documents.stream().map(this::parse).toList();
  }

  HasMetadata parse(JsonNode document) {
    String kind = document.path("kind").asText();
    Class<? extends HasMetadata> type = KINDS.get(kind);
    if (type == null) {
      throw new ManifestException(
          "unsupported kind '" + kind + "' in " + document.path("metadata"));
    }
    String expectedApiVersion = HasMetadata.getApiVersion(type);
    String apiVersion = document.path("apiVersion").asText();
    if (!expectedApiVersion.equals(apiVersion)) {
      throw new ManifestException(
          kind + " must be apiVersion " + expectedApiVersion + ", was '" + apiVersion + "'");
    }
    try {
      return mapper.treeToValue(document, type);
    } catch (Exception e) {
      throw new ManifestException(
          kind + " " + document.path("metadata").path("name").asText() + ": " + e.getMessage(), e);
    }
  }
}
