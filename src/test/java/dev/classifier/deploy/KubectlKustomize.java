package dev.classifier.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real {@code kubectl kustomize}, so what is checked is what a
 * cluster would get. Without kubectl the calling test is skipped with a message; with {@code
 * CI=true} a missing kubectl is a failure instead.
 */
final class KubectlKustomize {

  private static final long TIMEOUT_SECONDS = 60;

  private KubectlKustomize() {}

  /** The documents {@code kubectl kustomize dir} prints, in order. */
  static List<JsonNode> render(Path dir) {
    requireKubectl();
    String yaml = run("kubectl", "kustomize", dir.toString());
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode document = it.next();
        if (document != null && document.isObject()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("kubectl kustomize " + dir + " printed unreadable YAML", e);
    }
    return documents;
  }

  private static void requireKubectl() {
    boolean found = onPath("kubectl");
    if (!found && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true and kubectl is not on the PATH: install kubectl");
    }
    assumeTrue(found, "kubectl is not on the PATH: manifests not rendered (required with CI=true)");
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).start();
      CompletableFuture<byte[]> stderr = drain(process.getErrorStream());
      byte[] stdout = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " took over 60 s");
      }
      if (process.exitValue() != 0) {
        throw new ManifestException(
            String.join(" ", command)
                + " exited "
                + process.exitValue()
                + ": "
                + new String(stderr.join(), StandardCharsets.UTF_8).strip());
      }
      return new String(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.transferTo(out);
            return out.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
