package dev.classifier.grpc;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The gRPC server (Netty, plaintext HTTP/2) on its own port, started and stopped with the
 * application: it stops in the web server's graceful-shutdown phase, taking no new calls and
 * letting running ones finish within the shutdown phase's timeout before cancelling them. It also
 * serves {@code grpc.health.v1.Health} (for Kubernetes gRPC probes; SERVING only while the service
 * is ready) and server reflection.
 */
public final class GrpcServer implements SmartLifecycle {

  /** The web server's graceful-shutdown phase: both servers stop taking calls together. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

  private final InetSocketAddress address;
  private final int maxInboundBytes;
  private final ServerServiceDefinition service;
  private final HealthStatusManager health;
  private final Duration shutdownTimeout;
  private volatile Server server;

  /**
   * @param maxInboundBytes the largest message a client may send, {@code
   *     classifier.max-upload-size}
   */
  public GrpcServer(
      InetSocketAddress address,
      int maxInboundBytes,
      ServerServiceDefinition service,
      HealthStatusManager health,
      Duration shutdownTimeout) {
    this.address = address;
    this.maxInboundBytes = maxInboundBytes;
    this.service = service;
    this.health = health;
    this.shutdownTimeout = shutdownTimeout;
  }

  @Override
  public void start() {
    try {
      server =
          NettyServerBuilder.forAddress(address)
              .maxInboundMessageSize(maxInboundBytes)
              .maxInboundMetadataSize(16 * 1024)
              .addService(service)
              .addService(health.getHealthService())
              .addService(ProtoReflectionServiceV1.newInstance())
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("gRPC server could not listen on " + address, e);
    }
    log.info("gRPC server listening on port {}", server.getPort());
  }

  @Override
  public void stop(Runnable callback) {
    Server running = server;
    if (running == null) {
      callback.run();
      return;
    }
    health.setStatus("", ServingStatus.NOT_SERVING);
    running.shutdown();
    Thread waiter =
        new Thread(
            () -> {
              try {
                if (!running.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                  running.shutdownNow();
                }
              } catch (InterruptedException e) {
                running.shutdownNow();
                Thread.currentThread().interrupt();
              } finally {
                health.enterTerminalState();
                server = null;
                callback.run();
              }
            },
            "grpc-shutdown");
    waiter.setDaemon(true);
    waiter.start();
  }

  @Override
  public void stop() {
    stop(() -> {});
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** The port it listens on (the one chosen when configured with 0); -1 when not running. */
  public int port() {
    Server running = server;
    return running == null ? -1 : running.getPort();
  }
}
