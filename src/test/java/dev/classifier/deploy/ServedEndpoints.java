package dev.classifier.deploy;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.security.SecurityProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * What the application really serves and how it shuts down, derived the way Spring Boot derives it:
 * the application's own {@code application.yml}/{@code .properties}, overridden by the container
 * environment (ConfigMap keys, relaxed binding), bound into Spring Boot's own property classes,
 * with Spring Boot's defaults where nothing is set. Nothing here repeats a path or port by hand.
 * {@code port} is where health and metrics are served (the management port when it is apart),
 * {@code apiPort} the API's.
 */
record ServedEndpoints(
    int apiPort,
    int port,
    String readinessPath,
    String livenessPath,
    String prometheusPath,
    boolean probesEnabled,
    Set<String> exposedEndpoints,
    String shutdown,
    Duration shutdownPhaseTimeout,
    Map<String, String> environment,
    Binder binder) {

  static final Path MAIN_RESOURCES = Path.of("src/main/resources");

  /**
   * Resolves against the application config in {@code resources}, with {@code env} as the
   * environment.
   */
  static ServedEndpoints resolve(Path resources, Map<String, String> env) {
    MutablePropertySources sources = new MutablePropertySources();
    // The name suffix makes Spring apply environment-variable relaxed binding to these keys.
    sources.addLast(
        new SystemEnvironmentPropertySource(
            "container-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            Map.copyOf(env)));
    applicationConfig(resources).forEach(sources::addLast);
    Binder binder =
        new Binder(
            ConfigurationPropertySources.from(sources),
            new PropertySourcesPlaceholdersResolver(sources));

    int serverPort =
        binder
            .bind("server.port", Integer.class)
            .orElseGet(() -> new AbstractConfigurableWebServerFactory() {}.getPort());
    ManagementServerProperties management =
        binder
            .bind("management.server", ManagementServerProperties.class)
            .orElseGet(ManagementServerProperties::new);
    WebEndpointProperties web =
        binder
            .bind("management.endpoints.web", WebEndpointProperties.class)
            .orElseGet(WebEndpointProperties::new);
    String managementPrefix =
        (management.getPort() == null ? "" : trimSlash(management.getBasePath()))
            + trimSlash(web.getBasePath());
    String health = managementPrefix + "/" + web.getPathMapping().getOrDefault("health", "health");
    return new ServedEndpoints(
        serverPort,
        management.getPort() == null ? serverPort : management.getPort(),
        health + "/readiness",
        health + "/liveness",
        managementPrefix + "/" + web.getPathMapping().getOrDefault("prometheus", "prometheus"),
        binder.bind("management.endpoint.health.probes.enabled", Boolean.class).orElse(false),
        web.getExposure().getInclude(),
        binder.bind("server.shutdown", String.class).orElse("immediate"),
        binder
            .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
            .orElseGet(
                () ->
                    new org.springframework.boot.autoconfigure.context.LifecycleProperties()
                        .getTimeoutPerShutdownPhase()),
        Map.copyOf(env),
        binder);
  }

  /** The application's own {@code classifier.*} properties as the container would bind them. */
  ClassifierProperties classifier() {
    return binder.bindOrCreate("classifier", ClassifierProperties.class);
  }

  /** {@code classifier.security.*}, bound as the container would. */
  SecurityProperties security() {
    return binder.bindOrCreate("classifier.security", SecurityProperties.class);
  }

  /**
   * Container environment keys under {@code CLASSIFIER_} that bind to no declared property (a
   * misspelt key is silently ignored by Spring). Spring's NoUnboundElementsBindHandler cannot tell
   * here: it compares the environment's dotted form ({@code intra.op.threads}) with the dashed
   * property name.
   */
  Set<String> undeclaredClassifierKeys() {
    Set<String> bound = new HashSet<>();
    AbstractBindHandler recorder =
        new AbstractBindHandler() {
          @Override
          public Object onSuccess(
              ConfigurationPropertyName name,
              Bindable<?> target,
              BindContext context,
              Object result) {
            String dotted = name.toString().toUpperCase(Locale.ROOT).replace('.', '_');
            bound.add(dotted.replace("-", "_"));
            bound.add(dotted.replace("-", ""));
            return result;
          }
        };
    binder.bindOrCreate("classifier", Bindable.of(ClassifierProperties.class), recorder);
    binder.bindOrCreate("classifier.security", Bindable.of(SecurityProperties.class), recorder);
    Set<String> undeclared = new TreeSet<>(environment.keySet());
    undeclared.removeIf(key -> !key.startsWith("CLASSIFIER_") || bound.contains(key));
    return undeclared;
  }

  private static List<PropertySource<?>> applicationConfig(Path resources) {
    try {
      for (String name : List.of("application.properties", "application.yml", "application.yaml")) {
        Path file = resources.resolve(name);
        if (Files.isRegularFile(file)) {
          return name.endsWith(".properties")
              ? new PropertiesPropertySourceLoader().load(name, new FileSystemResource(file))
              : new YamlPropertySourceLoader().load(name, new FileSystemResource(file));
        }
      }
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code classifier.grpc.port} as the application binds it, its default included. */
  int grpcPort() {
    return binder.bindOrCreate("classifier.grpc", dev.classifier.grpc.GrpcProperties.class).port();
  }

  private static String trimSlash(String path) {
    if (path == null || path.isEmpty() || "/".equals(path)) {
      return "";
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
