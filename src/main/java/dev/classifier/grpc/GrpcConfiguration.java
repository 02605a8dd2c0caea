package dev.classifier.grpc;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.image.MemoryBudget;
import dev.classifier.metrics.ClassifierMetrics;
import dev.classifier.oip.OipLimits;
import dev.classifier.oip.ServerInfo;
import dev.classifier.oip.V2Inference;
import dev.classifier.oip.V2Models;
import dev.classifier.security.GrpcAuthentication;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The gRPC door's wiring: the server on {@code classifier.grpc.port} unless {@code
 * classifier.grpc.enabled=false}, on {@code server.address} when that is set, with inbound messages
 * up to {@code classifier.max-upload-size} whose memory ModelInfer reserves from the shared budget
 * before parsing, each call observed (request id, request log, metrics) and authenticated and held
 * to its caller's quota before its message is read, and its health service following readiness.
 */
@Configuration(proxyBeanMethods = false)
class GrpcConfiguration {

  /** The protocol's service name, as health checks may ask for it. */
  static final String SERVICE = "inference.GRPCInferenceService";

  @Bean
  HealthStatusManager grpcHealth(ApplicationAvailability availability) {
    HealthStatusManager health = new HealthStatusManager();
    status(health, availability.getReadinessState());
    return health;
  }

  /** SERVING while the service accepts traffic, for the whole server ("") and the V2 service. */
  @Bean
  ApplicationListener<AvailabilityChangeEvent<?>> grpcHealthFollowsReadiness(
      HealthStatusManager health) {
    return event -> {
      if (event.getState() instanceof ReadinessState readiness) {
        status(health, readiness);
      }
    };
  }

  @Bean
  @ConditionalOnBooleanProperty(name = "classifier.grpc.enabled", matchIfMissing = true)
  GrpcServer grpcServer(
      GrpcProperties grpc,
      ClassifierProperties properties,
      Environment environment,
      V2Models models,
      ApplicationAvailability availability,
      ServerInfo info,
      OipLimits limits,
      ObjectProvider<V2Inference> inference,
      HealthStatusManager health,
      MemoryBudget budget,
      ClassifierMetrics metrics,
      GrpcAuthentication authentication) {
    Binder binder = Binder.get(environment);
    String host = binder.bind("server.address", String.class).orElse(null);
    InetSocketAddress address =
        host == null
            ? new InetSocketAddress(grpc.port())
            : new InetSocketAddress(host, grpc.port());
    InferenceGrpcService service =
        new InferenceGrpcService(
            models,
            availability,
            info,
            new GrpcRequestDecoder(limits),
            Optional.ofNullable(inference.getIfAvailable()));
    int maxInboundBytes = (int) Math.min(Integer.MAX_VALUE, properties.maxUploadSize().toBytes());
    return new GrpcServer(
        address,
        maxInboundBytes,
        ServerInterceptors.intercept(
            ReservedMessages.bind(service, service, budget, maxInboundBytes),
            // Last added runs first: the request id, then the observation (so a refused call is
            // timed and logged, with its caller), then authentication and quotas.
            authentication,
            new CallObservation(metrics),
            new RequestIdInterceptor()),
        health,
        binder
            .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
            .orElse(Duration.ofSeconds(30)));
  }

  private static void status(HealthStatusManager health, ReadinessState readiness) {
    ServingStatus status =
        readiness == ReadinessState.ACCEPTING_TRAFFIC
            ? ServingStatus.SERVING
            : ServingStatus.NOT_SERVING;
    health.setStatus("", status);
    health.setStatus(SERVICE, status);
  }
}
