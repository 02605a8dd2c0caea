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
 * A real HAProxy (Debian package) in front of the service instances, with active HTTP health checks on
 * the readiness path. HAProxy rather than open-source nginx: nginx only marks an upstream failed
 * passively, after real requests to it have failed, while this test needs the balancer to stop routing
 * because readiness went DOWN.
 */
final class Haproxy implements AutoCloseable {

  /** Health-check interval; the balancer must route around a dead instance within fall x this. */
  static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
  static final int FALL = 2;
  static final int RISE = 2;
  /**
   * A check that does not answer within this marks the server failed. Far above a healthy check's few
   * ms, because on a shared 2-core machine (load average 15 seen) a busy but healthy instance answers
   * in over 500 ms, and a 500 ms timeout marked both instances DOWN at once. A dead instance is still
   * detected at once: its port refuses the connection.
   */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

  private final Path config;
  private final Path log;
  private final int port;
  private final int statsPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;

  Haproxy(Path dir, int port, int statsPort, String healthPath, List<ServiceInstance> servers, boolean redispatch)
      throws IOException {
    this.port = port;
    this.statsPort = statsPort;
    this.config = dir.resolve("haproxy.cfg");
    this.log = dir.resolve("haproxy.log");
    long inter = CHECK_INTERVAL.toMillis();
    String serverLines = servers.stream()
        .map(s -> "  server " + s.name() + " 127.0.0.1:" + s.port() + " check")
        .collect(Collectors.joining("\n"));
    Files.writeString(config, """
        global
          maxconn 256
        defaults
          mode http
          timeout connect 1s
          timeout client 60s
          timeout server 60s
          timeout check %8$dms
          # A refused connection never reached a server: retry it elsewhere (redispatch). A request that
          # reached a server is never retried (the default retry-on is conn-failure), so failures show.
          retries 3
          %9$s
        frontend api
          bind 127.0.0.1:%2$d
          default_backend classifier
        backend classifier
          balance leastconn
          option httpchk
          http-check send meth GET uri %3$s
          http-check expect status 200
          default-server inter %1$dms fastinter %1$dms downinter %1$dms fall %4$d rise %5$d
        %6$s
        frontend stats
          bind 127.0.0.1:%7$d
          stats enable
          stats uri /stats
        """.formatted(inter, port, healthPath, FALL, RISE, serverLines, statsPort, CHECK_TIMEOUT.toMillis(),
        redispatch ? "option redispatch 1" : "no option redispatch"));
  }

  int port() {
    return port;
  }

  void start() throws IOException, InterruptedException {
    Process check = new ProcessBuilder("haproxy", "-c", "-f", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (check.waitFor() != 0) {
      throw new IllegalStateException("haproxy rejected " + config + ": " + Files.readString(log));
    }
    process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The server's check status as HAProxy's stats CSV reports it (UP, DOWN, "UP 1/2", MAINT, ...). */
  String status(String server) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
        .timeout(Duration.ofSeconds(2)).build();
    List<String> lines = http.send(request, HttpResponse.BodyHandlers.ofString()).body().lines().toList();
    List<String> header = Arrays.asList(lines.get(0).replaceFirst("^# ", "").split(","));
    int svname = header.indexOf("svname");
    int status = header.indexOf("status");
    return lines.stream().skip(1).map(l -> l.split(","))
        .filter(f -> f.length > status && f[0].equals("classifier") && f[svname].equals(server))
        .map(f -> f[status]).findFirst()
        .orElseThrow(() -> new IllegalStateException("no server " + server + " in haproxy stats"));
  }

  /** Waits until HAProxy reports {@code server} in {@code wanted} state; returns how long that took. */
  Duration awaitStatus(String server, String wanted, Duration timeout) throws IOException, InterruptedException {
    Instant start = Instant.now();
    while (Duration.between(start, Instant.now()).compareTo(timeout) < 0) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException("haproxy exited: " + Files.readString(log));
      }
      try {
        if (status(server).equals(wanted)) {
          return Duration.between(start, Instant.now());
        }
      } catch (IOException e) {
        // the stats listener is not bound yet right after start
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(server + " not " + wanted + " in haproxy within " + timeout
        + " (now " + status(server) + ")");
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
