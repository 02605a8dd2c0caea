package dev.classifier.http;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The connection probe ({@link ClientConnection#valve()}) on the context, and {@link
 * ProblemErrorReportValve} as the host's only error report valve; {@link ExpectContinue} adds its
 * own context valve with the setting it belongs to. Ordered last, so it runs after Spring Boot's
 * own customizer, which adds an HTML {@link ErrorReportValve} to the host; that one, and Tomcat's
 * default (added at start only when no valve of the configured class is present), are kept out.
 */
@Configuration(proxyBeanMethods = false)
class TomcatValves implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  private final HttpDoors doors;

  TomcatValves(HttpDoors doors) {
    this.doors = doors;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          context.getPipeline().addValve(ClientConnection.valve());
          if (context.getParent() instanceof StandardHost host) {
            for (Valve valve : host.getPipeline().getValves()) {
              if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
              }
            }
            host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            host.getPipeline().addValve(new ProblemErrorReportValve(doors));
          }
        });
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
