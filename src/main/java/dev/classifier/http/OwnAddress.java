package dev.classifier.http;

import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

/** The URI of this service's own HTTP connector, for the requests it sends itself at start-up. */
final class OwnAddress {

  private static final Logger log = LoggerFactory.getLogger(OwnAddress.class);

  private OwnAddress() {}

  /**
   * Where this service's own HTTP connector answers: the configured address (loopback when it binds
   * all interfaces) and the port actually bound. Empty without an embedded server (mock MVC tests)
   * or with TLS, whose certificate need not be valid for that address.
   */
  static Optional<URI> of(ApplicationContext context, Environment environment) {
    if (!(context instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
      return Optional.empty();
    }
    boolean tlsConfigured =
        Stream.of("server.ssl.bundle", "server.ssl.key-store", "server.ssl.certificate")
            .anyMatch(environment::containsProperty);
    if (tlsConfigured && environment.getProperty("server.ssl.enabled", Boolean.class, true)) {
      log.info("HTTP warm-up skipped: the connector uses TLS");
      return Optional.empty();
    }
    int port = web.getWebServer().getPort();
    if (port <= 0) {
      return Optional.empty();
    }
    String address = environment.getProperty("server.address", "");
    String host =
        address.isBlank() || address.equals("0.0.0.0") || address.equals("::")
            ? InetAddress.getLoopbackAddress().getHostAddress()
            : address;
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    String contextPath = environment.getProperty("server.servlet.context-path", "");
    String root =
        contextPath.isEmpty() || contextPath.endsWith("/") ? contextPath : contextPath + "/";
    if (!root.startsWith("/")) {
      root = "/" + root;
    }
    return Optional.of(URI.create("http://" + host + ":" + port + root));
  }
}
