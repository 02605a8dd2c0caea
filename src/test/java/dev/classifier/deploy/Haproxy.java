package dev.classifier.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real HAProxy (Debian package) in front of the service instances, with active HTTP health checks
 * on the readiness path. HAProxy rather than open-source nginx: nginx only marks an upstream failed
 * passively, after real requests to it have failed, while this test needs the balancer to stop
 * routing because readiness went DOWN.
 */
final class Haproxy implements AutoCloseable {

  /** Health-check interval; the balancer must route around a dead instance within fall x this. */
  static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

  static final int FALL = 2;
  static final int RISE = 2;

  /**
   * A check that does not answer within this marks the server failed. Far above a healthy check's
   * few ms, because on a shared 2-core machine (load average 15 seen) a busy but healthy instance
   * answers in over 500 ms, and a 500 ms timeout marked both instances DOWN at once. A dead
   * instance is still detected at once: its port refuses the connection.
   */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

  private final Path config;
  private final Path log;
  private final int retryingPort;
  private final int plainPort;
  private final int statsPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;

  /**
   * Two frontends over the same servers. {@code retrying} re-dispatches a refused connection to
   * another server, as HAProxy is normally run. {@code plain} never does, like a Kubernetes Service
   * or an L4 cloud load balancer: there only the service's own shutdown order (readiness DOWN,
   * pause, then close) keeps requests from landing on a stopping instance.
   */
  Haproxy(Path dir, String healthPath, List<ServiceInstance> servers, int... ports)
      throws IOException {
    this.retryingPort = ports[0];
    this.plainPort = ports[1];
    this.statsPort = ports[2];
    this.config = dir.resolve("haproxy.cfg");
    this.log = dir.resolve("haproxy.log");
    String serverLines =
        servers.stream()
            // Traffic to the API port, health checks to the management port, as in the Deployment.
            .map(
                s ->
                    "  server "
                        + s.name()
                        + " 127.0.0.1:"
                        + s.port()
                        + " check port "
                        + s.managementPort())
            .collect(Collectors.joining("\n"));
    String checks =
        """
          option httpchk
          http-check send meth GET uri %s
          http-check expect status 200
          default-server inter %dms fastinter %2$dms downinter %2$dms fall %d rise %d
        """
                .formatted(healthPath, CHECK_INTERVAL.toMillis(), FALL, RISE)
            + serverLines;
    Files.writeString(
        config,
        """
        global
          maxconn 256
        defaults
          mode http
          timeout connect 1s
          timeout client 60s
          timeout server 60s
          timeout check %dms
          balance leastconn
          # One server connection per request: a dead server then shows as a refused connection, which
          # redispatch can move. On a reused idle connection HAProxy instead closes the client connection
          # without a response (measured: a request started after the SIGKILL failed that way).
          option http-server-close
        frontend retrying
          bind 127.0.0.1:%d
          default_backend retrying
        backend retrying
          # A refused connection never reached a server: try it on another one. A request that reached
          # a server is never retried (the default retry-on is conn-failure), so failures still show.
          retries 3
          option redispatch 1
        %s
        frontend plain
          bind 127.0.0.1:%d
          default_backend plain
        backend plain
          retries 0
          no option redispatch
        %s
        frontend stats
          bind 127.0.0.1:%d
          stats enable
          stats uri /stats
        """
            .formatted(
                CHECK_TIMEOUT.toMillis(), retryingPort, checks, plainPort, checks, statsPort));
  }

  /** The frontend that re-dispatches refused connections. */
  int retryingPort() {
    return retryingPort;
  }

  /** The frontend that sends each request to the server it picked, and nowhere else. */
  int plainPort() {
    return plainPort;
  }

  void start() throws IOException, InterruptedException {
    Process check =
        new ProcessBuilder("haproxy", "-c", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (check.waitFor() != 0) {
      throw new IllegalStateException("haproxy rejected " + config + ": " + Files.readString(log));
    }
    process =
        new ProcessBuilder("haproxy", "-db", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  /**
   * The server's check status in every backend, as HAProxy's stats CSV reports it (UP, DOWN, "UP
   * 1/2"...).
   */
  List<String> status(String server) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
            .timeout(Duration.ofSeconds(2))
            .build();
    List<String> lines =
        http.send(request, HttpResponse.BodyHandlers.ofString()).body().lines().toList();
    List<String> header = Arrays.asList(lines.get(0).replaceFirst("^# ", "").split(","));
    int svname = header.indexOf("svname");
    int status = header.indexOf("status");
    List<String> states =
        lines.stream()
            .skip(1)
            .map(l -> l.split(","))
            .filter(f -> f.length > status && f[svname].equals(server))
            .map(f -> f[status])
            .toList();
    if (states.size() != 2) {
      throw new IllegalStateException(
          "server " + server + " in " + states.size() + " backends, expected 2");
    }
    return states;
  }

  /**
   * Waits until every backend reports {@code server} in {@code wanted} state; returns how long that
   * took.
   */
  Duration awaitStatus(String server, String wanted, Duration timeout)
      throws IOException, InterruptedException {
    Instant start = Instant.now();
    while (Duration.between(start, Instant.now()).compareTo(timeout) < 0) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException("haproxy exited: " + Files.readString(log));
      }
      try {
        if (status(server).stream().allMatch(wanted::equals)) {
          return Duration.between(start, Instant.now());
        }
      } catch (IOException e) {
        // the stats listener is not bound yet right after start
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(
        server
            + " not "
            + wanted
            + " in haproxy within "
            + timeout
            + " (now "
            + status(server)
            + ")");
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
