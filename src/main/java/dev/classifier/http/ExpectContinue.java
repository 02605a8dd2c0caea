package dev.classifier.http;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ContinueResponseTiming;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;

/**
 * Sends {@code 100 Continue} only once the service has decided to read a body, so a client that
 * asks first ({@code Expect: 100-continue}, as curl does above 1 MB) never sends an upload refused
 * on its headers (413 too large, 503 over the memory budget). Tomcat's default answers 100 before
 * any filter runs; its other setting waits for a blocking read, which the non-blocking {@link
 * BodyReader} never makes, so the reader calls {@link #invite} when it starts reading.
 */
@Configuration(proxyBeanMethods = false)
class ExpectContinue implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  private static final String ATTRIBUTE = ExpectContinue.class.getName();

  /** The container's response of one request, which alone can send the interim answer. */
  private record Invitation(Response response) {}

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addConnectorCustomizers(
        connector -> {
          if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
            http.setContinueResponseTiming(ContinueResponseTiming.ON_REQUEST_BODY_READ.toString());
          }
        });
    factory.addContextCustomizers(
        context ->
            context
                .getPipeline()
                .addValve(
                    new ValveBase(true) {
                      @Override
                      public void invoke(Request request, Response response)
                          throws IOException, ServletException {
                        request.setAttribute(ATTRIBUTE, new Invitation(response));
                        getNext().invoke(request, response);
                      }
                    }));
  }

  /**
   * Sends {@code 100 Continue} if the client asked for it and nothing has been answered yet; does
   * nothing outside Tomcat.
   */
  static void invite(HttpServletRequest request) {
    if (request.getAttribute(ATTRIBUTE) instanceof Invitation invitation) {
      invitation.response().sendAcknowledgement(ContinueResponseTiming.ALWAYS);
    }
  }
}
