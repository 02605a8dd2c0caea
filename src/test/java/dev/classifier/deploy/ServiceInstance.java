package dev.classifier.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real service process ({@code java -jar} on the packaged jar) on a loopback port. All
 * instances share a working directory, so the synthetic model that the first one builds under
 * models/ is the file the others load.
 */
final class ServiceInstance implements AutoCloseable {

  private final String name;
  private final Path jar;
  private final Path workDir;
  private final int port;
  private final int managementPort;
  private final List<String> extraArgs;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private Process process;
  private int generation;

  /**
   * @param managementPort health, info and Prometheus: the port the Deployment's probes use
   */
  ServiceInstance(
      String name, Path jar, Path workDir, int port, int managementPort, List<String> extraArgs) {
    this.name = name;
    this.jar = jar;
    this.workDir = workDir;
    this.port = port;
    this.managementPort = managementPort;
    this.extraArgs = List.copyOf(extraArgs);
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  int managementPort() {
    return managementPort;
  }

  void start() throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                // instances share the machine: each takes a free gRPC port
                "--classifier.grpc.port=0",
                // Two or three instances share two cores: one inference thread each.
                "--classifier.inference.threading=fixed",
                "--classifier.inference.intra-op-threads=1"));
    command.addAll(extraArgs);
    Path log = workDir.resolve(name + "-" + (generation++) + ".log");
    process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  /**
   * Polls {@code path} on this instance's management port (where the probes go) until it answers
   * 200, or fails after {@code timeout}.
   */
  Duration awaitStatus200(String path, Duration timeout) throws InterruptedException {
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with "
                + process.exitValue()
                + " before "
                + path
                + " answered 200; see "
                + workDir);
      }
      if (status(path) == 200) {
        return Duration.between(start, Instant.now());
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        name + ": " + path + " not 200 within " + timeout + "; see " + workDir);
  }

  int status(String path) throws InterruptedException {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
              .timeout(Duration.ofSeconds(2))
              .GET()
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** SIGTERM (what the kubelet sends after preStop) and waits for the JVM to exit. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " still running " + timeout + " after SIGTERM");
    }
    return process.exitValue();
  }

  /** SIGKILL: the process dies with requests in flight, as on a node crash or OOM kill. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
