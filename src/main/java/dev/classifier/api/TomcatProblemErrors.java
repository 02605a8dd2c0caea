package dev.classifier.api;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Replaces Tomcat's HTML error report valve on the host with {@link ProblemErrorReportValve}. The
 * host adds its default valve at start only if no valve of the configured class is present, so the
 * instance added here is the only one.
 */
@Configuration(proxyBeanMethods = false)
class TomcatProblemErrors {

  @Bean
  TomcatContextCustomizer problemErrorReports() {
    return context -> {
      if (context.getParent() instanceof StandardHost host) {
        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        host.getPipeline().addValve(new ProblemErrorReportValve());
      }
    };
  }
}
