package dev.classifier.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/xception-classifier.jar}) started as a user starts it, on a free
 * loopback port, for the integration tests that need the real process: {@code java <jvm options>
 * -jar}, which keeps the command line short (ONNX Runtime 1.29 crashes the JVM past ~4 KB of it).
 * Health and metrics on a second free port (the management port). Started when ready (readiness
 * 200); closing it sends SIGTERM and waits.
 */
public final class PackagedService implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final int port;
  private final int managementPort;
  private final Path log;

  private PackagedService(Process process, int port, int managementPort, Path log) {
    this.process = process;
    this.port = port;
    this.managementPort = managementPort;
    this.log = log;
  }

  /**
   * Starts the jar in {@code workDir} (its log: {@code workDir/service.log}) with the project's
   * label file where it exists, and waits until it is ready.
   *
   * @param jvmOptions e.g. {@code -Xmx256m}
   * @param arguments Spring arguments, e.g. {@code --classifier.model.path=...}
   * @throws IllegalStateException with the log when the process exits or is not ready in time
   */
  public static PackagedService start(Path workDir, List<String> jvmOptions, List<String> arguments)
      throws IOException, InterruptedException {
    Path jar = Path.of("target", "xception-classifier.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no packaged jar in target/: run mvn package (or verify)");
    }
    int port = freePort();
    int managementPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--server.address=127.0.0.1",
            "--server.port=" + port,
            "--management.server.address=127.0.0.1",
            "--management.server.port=" + managementPort));
    // several services may run at once: each takes a free gRPC port
    command.add("--classifier.grpc.port=0");
    Path labels = Path.of("models", "imagenet-labels.tsv").toAbsolutePath();
    if (Files.isRegularFile(labels)) {
      command.add("--classifier.model.labels=" + labels);
    }
    command.addAll(arguments);
    Path log = workDir.resolve("service.log");
    Process process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PackagedService service = new PackagedService(process, port, managementPort, log);
    service.awaitReady();
    return service;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** {@code http://127.0.0.1:<management port><path>}: health, info, Prometheus. */
  public URI managementUri(String path) {
    return URI.create("http://127.0.0.1:" + managementPort + path);
  }

  public Path log() {
    return log;
  }

  public boolean alive() {
    return process.isAlive();
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(managementUri("/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the service exited with "
                + process.exitValue()
                + " during start-up:\n"
                + Files.readString(log));
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    close();
    throw new IllegalStateException("not ready within " + START_TIMEOUT + "; see " + log);
  }

  /** SIGTERM, then SIGKILL if it has not exited within 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
