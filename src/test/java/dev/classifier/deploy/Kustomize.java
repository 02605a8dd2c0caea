package dev.classifier.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Composes a kustomization directory the way {@code kustomize build} does, for the subset this
 * project uses: {@code resources} (files and directories), {@code patches} by path (strategic
 * merge, target from the patch's kind and name), {@code namespace}, {@code labels} (pairs,
 * optionally into pod templates) and {@code images}. No kustomize binary exists on the build
 * machines; anything outside the subset fails loudly instead of being ignored.
 */
final class Kustomize {

  record Kustomization(
      String apiVersion,
      String kind,
      String namespace,
      List<String> resources,
      List<PatchRef> patches,
      List<LabelSet> labels,
      List<ImageOverride> images) {}

  record PatchRef(String path) {}

  record LabelSet(Map<String, String> pairs, boolean includeSelectors, boolean includeTemplates) {}

  record ImageOverride(String name, String newName, String newTag) {}

  private final ObjectMapper yaml =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** The composed resources of the kustomization in {@code dir}, in resource order. */
  List<ObjectNode> build(Path dir) {
    Kustomization k = readKustomization(dir);
    List<ObjectNode> resources = new ArrayList<>();
    for (String resource : nullToEmpty(k.resources())) {
      Path path = dir.resolve(resource).normalize();
      resources.addAll(Files.isDirectory(path) ? build(path) : readDocuments(path));
    }
    for (PatchRef patch : nullToEmpty(k.patches())) {
      for (ObjectNode document : readDocuments(dir.resolve(patch.path()))) {
        StrategicMerge.apply(target(resources, document, patch.path()), document);
      }
    }
    if (k.namespace() != null) {
      resources.forEach(r -> ((ObjectNode) r.path("metadata")).put("namespace", k.namespace()));
    }
    for (LabelSet labels : nullToEmpty(k.labels())) {
      applyLabels(resources, labels);
    }
    for (ImageOverride image : nullToEmpty(k.images())) {
      resources.forEach(r -> applyImage(r, image));
    }
    return resources;
  }

  private Kustomization readKustomization(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    try {
      Kustomization k = yaml.readValue(file.toFile(), Kustomization.class);
      if (!"kustomize.config.k8s.io/v1beta1".equals(k.apiVersion())
          || !"Kustomization".equals(k.kind())) {
        throw new ManifestException(file + ": not a kustomize.config.k8s.io/v1beta1 Kustomization");
      }
      return k;
    } catch (IOException e) {
      throw new ManifestException(file + ": " + e.getMessage(), e);
    }
  }

  private List<ObjectNode> readDocuments(Path file) {
    List<ObjectNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode document = it.next();
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        if (!document.isObject() || !document.path("metadata").isObject()) {
          throw new ManifestException(file + ": document without metadata");
        }
        documents.add((ObjectNode) document);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
    return documents;
  }

  private static ObjectNode target(List<ObjectNode> resources, ObjectNode patch, String patchPath) {
    List<ObjectNode> matches =
        resources.stream()
            .filter(
                r ->
                    r.path("kind").equals(patch.path("kind"))
                        && r.path("metadata")
                            .path("name")
                            .equals(patch.path("metadata").path("name")))
            .toList();
    if (matches.size() != 1) {
      throw new ManifestException(
          "patch " + patchPath + " matches " + matches.size() + " resources");
    }
    return matches.get(0);
  }

  private static void applyLabels(List<ObjectNode> resources, LabelSet labels) {
    if (labels.includeSelectors()) {
      // Selectors are immutable on a live Deployment; this project never changes them from an
      // overlay.
      throw new ManifestException("labels.includeSelectors is not supported");
    }
    for (ObjectNode resource : resources) {
      addLabels((ObjectNode) resource.path("metadata"), labels.pairs());
      JsonNode template = resource.path("spec").path("template");
      if (labels.includeTemplates() && template.isObject()) {
        addLabels(((ObjectNode) template).withObjectProperty("metadata"), labels.pairs());
      }
    }
  }

  private static void addLabels(ObjectNode metadata, Map<String, String> pairs) {
    ObjectNode existing = metadata.withObjectProperty("labels");
    pairs.forEach(existing::put);
  }

  private static void applyImage(ObjectNode resource, ImageOverride image) {
    JsonNode podSpec = resource.path("spec").path("template").path("spec");
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode container : podSpec.path(list)) {
        String ref = container.path("image").asText();
        int colon = ref.lastIndexOf(':');
        String name = colon > ref.lastIndexOf('/') && colon >= 0 ? ref.substring(0, colon) : ref;
        String tag = colon > ref.lastIndexOf('/') && colon >= 0 ? ref.substring(colon + 1) : null;
        if (name.equals(image.name())) {
          String newName = image.newName() != null ? image.newName() : name;
          String newTag = image.newTag() != null ? image.newTag() : tag;
          ((ObjectNode) container).put("image", newTag == null ? newName : newName + ":" + newTag);
        }
      }
    }
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
