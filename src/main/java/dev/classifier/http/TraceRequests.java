package dev.classifier.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Answers {@code TRACE} like any method a path does not take: 405 with the path's own {@code Allow}
 * header, in the door's error format, and never an echo of the request. With Tomcat's default
 * ({@code allowTrace} off) the connector refused it itself, naming in {@code Allow} every method
 * the dispatcher servlet implements (PUT and DELETE too), and Spring Boot's error page answered in
 * its own JSON. Let through, a TRACE must still not reach {@code HttpServlet.doTrace}, which echoes
 * the request (after the handlers' answer, even with {@code spring.mvc.dispatch-trace-request}):
 * this dispatcher servlet sends it to the handler mappings only.
 */
@Configuration(proxyBeanMethods = false)
class TraceRequests implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
  }

  /** Spring Boot's dispatcher servlet, set up as Boot sets up its own, which this one replaces. */
  @Bean(name = DispatcherServletAutoConfiguration.DEFAULT_DISPATCHER_SERVLET_BEAN_NAME)
  DispatcherServlet dispatcherServlet(WebMvcProperties mvc) {
    DispatcherServlet servlet = new NoTraceEcho();
    servlet.setDispatchOptionsRequest(mvc.isDispatchOptionsRequest());
    servlet.setPublishEvents(mvc.isPublishRequestHandledEvents());
    servlet.setEnableLoggingRequestDetails(mvc.isLogRequestDetails());
    return servlet;
  }

  /** Handles TRACE like every other method: through the handler mappings, nothing more. */
  static final class NoTraceEcho extends DispatcherServlet {

    @Override
    protected void doTrace(HttpServletRequest request, HttpServletResponse response)
        throws jakarta.servlet.ServletException, java.io.IOException {
      processRequest(request, response);
    }
  }
}
