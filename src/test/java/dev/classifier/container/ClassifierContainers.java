package dev.classifier.container;

import com.github.dockerjava.api.command.CreateContainerCmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Builds the service image from the repository's own Dockerfile and starts containers from it the
 * way a user would: only the image's defaults, no configuration the Dockerfile does not set itself.
 */
final class ClassifierContainers {

  static final int HTTP_PORT = 8080;

  /** Health, info and Prometheus (management.server.port in application.yml). */
  static final int MANAGEMENT_PORT = 8082;

  /**
   * The public default of the Dockerfile; CI sets CLASSIFIER_BASE_IMAGE to its locally built JRE
   * image.
   */
  private static final String DEFAULT_BASE_IMAGE = "eclipse-temurin:17-jre";

  /** One CPU per container keeps two replicas and the Maven JVM within this 2-core machine. */
  private static final long NANO_CPUS = 1_000_000_000L;

  private static final long MEMORY_BYTES = 2L * 1024 * 1024 * 1024;

  /** Synthetic model build plus warm-up on one CPU, with room for a busy machine. */
  static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(4);

  private ClassifierContainers() {}

  /** The image, built (or taken from Docker's layer cache) when the first container starts. */
  static ImageFromDockerfile image() {
    Path dockerfile = Path.of("Dockerfile").toAbsolutePath();
    if (!Files.isRegularFile(dockerfile)) {
      throw new IllegalStateException(
          "No Dockerfile at " + dockerfile + "; run the tests from the repository root");
    }
    requirePackagedJar(dockerfile.getParent().resolve("target"));
    String baseImage = System.getenv().getOrDefault("CLASSIFIER_BASE_IMAGE", DEFAULT_BASE_IMAGE);
    // withDockerfile (not withFileFromPath) so the build context honours .dockerignore, as `docker
    // build .` does.
    // One fixed tag, kept after the run: rebuilding it is a Docker layer-cache hit.
    return new ImageFromDockerfile("localhost/xception-classifier-it", false)
        .withDockerfile(dockerfile)
        .withBuildArg("BASE_IMAGE", baseImage);
  }

  /**
   * A container of the image, limited to one CPU and 2 GiB, logging to the test log under {@code
   * name}.
   */
  static GenericContainer<?> classifier(
      ImageFromDockerfile image, String name, WaitStrategy readiness) {
    return new GenericContainer<>(image)
        .withExposedPorts(HTTP_PORT, MANAGEMENT_PORT)
        .withCreateContainerCmdModifier(ClassifierContainers::limitResources)
        .withLogConsumer(
            new Slf4jLogConsumer(LoggerFactory.getLogger("container." + name))
                .withSeparateOutputStreams())
        .waitingFor(readiness.withStartupTimeout(STARTUP_TIMEOUT));
  }

  static String baseUrl(GenericContainer<?> container) {
    return "http://" + container.getHost() + ":" + container.getMappedPort(HTTP_PORT);
  }

  static String managementUrl(GenericContainer<?> container) {
    return "http://" + container.getHost() + ":" + container.getMappedPort(MANAGEMENT_PORT);
  }

  private static void limitResources(CreateContainerCmd cmd) {
    cmd.getHostConfig().withNanoCPUs(NANO_CPUS).withMemory(MEMORY_BYTES);
  }

  private static void requirePackagedJar(Path target) {
    try (Stream<Path> files = Files.list(target)) {
      if (files.noneMatch(f -> f.getFileName().toString().endsWith(".jar"))) {
        throw new IllegalStateException(
            "No jar in " + target + "; the image is built from it: run `mvn package`");
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "No " + target + "; the image is built from the packaged jar: run `mvn package`", e);
    }
  }
}
