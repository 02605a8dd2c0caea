package dev.classifier.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service process for the benchmark: {@code java -jar} on the packaged jar on a loopback port,
 * started, timed until readiness, and stopped by its PID. {@code java -jar} keeps the command line
 * short (ONNX Runtime 1.29 crashes the JVM past ~4 KB of it).
 */
final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final URI base;
  private final URI management;
  private final long startupMillis;

  private ServiceProcess(Process process, URI base, URI management, long startupMillis) {
    this.process = process;
    this.base = base;
    this.management = management;
    this.startupMillis = startupMillis;
  }

  /**
   * The service's JVM options from a main's {@code service-opts} option, or by default the heap cap
   * the image gets, its exit on OOM, and the request path's compile thresholds its entrypoint
   * lowers.
   */
  static List<String> javaOptions(Map<String, String> mainOptions) {
    return List.of(
        mainOptions
            .getOrDefault(
                "service-opts",
                "-Xmx384m -XX:+ExitOnOutOfMemoryError @src/main/jvm/request-path-jit.args")
            .trim()
            .split("\\s+"));
  }

  /**
   * @param javaOptions JVM options (the heap cap the image uses)
   * @param properties {@code --name=value} service properties
   * @throws IllegalStateException when the service exits or is not ready within 10 minutes
   */
  static ServiceProcess start(
      Path jar, int port, List<String> javaOptions, List<String> properties, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.address=127.0.0.1");
    command.add("--server.port=" + port);
    // Health and Prometheus on the next port, as the management port is apart in production too.
    command.add("--management.server.address=127.0.0.1");
    command.add("--management.server.port=" + (port + 1));
    command.add("--classifier.grpc.port=0");
    command.addAll(properties);
    long start = System.nanoTime();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // As the container image runs it (Dockerfile): freed native blocks go back to the system.
    builder.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
    Process process = builder.start();
    URI base = URI.create("http://127.0.0.1:" + port);
    URI management = URI.create("http://127.0.0.1:" + (port + 1));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest readiness =
        HttpRequest.newBuilder(management.resolve("/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = start + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the service exited during start-up; see " + log);
      }
      try {
        if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return new ServiceProcess(
              process, base, management, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      // Every probe is a request the service answers; polled every 20 ms they kept it from
      // settling after its warm-up (readiness waits for a quiet process) for 2.3 s. Kubernetes
      // probes every few seconds; 100 ms is fine-grained enough for a start-up of seconds.
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the service was not ready within 10 minutes; see " + log);
  }

  URI base() {
    return base;
  }

  /** Health and Prometheus: the port after {@link #base()}'s. */
  URI management() {
    return management;
  }

  long pid() {
    return process.pid();
  }

  /** From the process start to readiness UP, as a poller 20 ms apart sees it. */
  long startupMillis() {
    return startupMillis;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, and a graceful drain. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
