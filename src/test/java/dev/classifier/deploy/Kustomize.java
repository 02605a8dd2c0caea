package dev.classifier.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a kustomization directory with the real tool users run, {@code kubectl kustomize}. Tests
 * that need it are skipped on a machine without kubectl; with CI=true a missing kubectl fails them.
 */
final class Kustomize {

  private static final long TIMEOUT_SECONDS = 60;

  private final ObjectMapper yaml =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** The rendered resources of the kustomization in {@code dir}, in kustomize's output order. */
  List<JsonNode> build(Path dir) {
    String rendered = kubectl("kustomize", dir.toString());
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(rendered)) {
      while (it.hasNext()) {
        JsonNode document = it.next();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("kubectl kustomize " + dir + " printed no YAML", e);
    }
    return documents;
  }

  private static String kubectl(String... arguments) {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(arguments));
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      String missing = "kubectl not found on the PATH (its `kubectl kustomize` renders k8s/)";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true but " + missing + ": install kubectl", e);
      }
      Assumptions.abort(missing + "; set CI=true to make this a failure");
      throw new AssertionError("unreachable");
    }
    try {
      process.getOutputStream().close();
      CompletableFuture<byte[]> errors =
          CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
      byte[] out = drain(process.getInputStream());
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " took over 60 s");
      }
      if (process.exitValue() != 0) {
        throw new ManifestException(
            String.join(" ", command)
                + " failed ("
                + process.exitValue()
                + "): "
                + new String(errors.join(), StandardCharsets.UTF_8).strip());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kubectl", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
