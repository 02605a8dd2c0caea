package dev.classifier.http;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Tells whether the client of a request whose body is fully read has disconnected, so its image is
 * not decoded or inferred for nobody. Tomcat's {@code AVAILABLE} action with a read does a
 * non-blocking read of the socket into Tomcat's own buffer once the body is consumed: an end of
 * stream answers 1, every time; bytes of a pipelined next request answer 1 the first time and 0 the
 * second, since they then sit in Tomcat's buffer. So two positive answers in a row mean the peer
 * closed (or half-closed: a client that shuts its sending side while waiting for the answer is
 * treated as gone). The servlet API cannot ask this after an async dispatch (Tomcat drops the read
 * listener there), so {@link #VALVE} hands the container's request over. Probes stop once the
 * request has its answer.
 */
final class ClientConnection {

  private static final String ATTRIBUTE = ClientConnection.class.getName();

  /** A context valve (one per pipeline) that gives every request a probe of its connection. */
  static Valve valve() {
    return new ValveBase(true) {
      @Override
      public void invoke(Request request, Response response)
          throws java.io.IOException, jakarta.servlet.ServletException {
        request.setAttribute(ATTRIBUTE, new ClientConnection(request.getCoyoteRequest()));
        getNext().invoke(request, response);
      }
    };
  }

  private final org.apache.coyote.Request coyote;
  private boolean answered;

  private ClientConnection(org.apache.coyote.Request coyote) {
    this.coyote = coyote;
  }

  /** The request's probe; one that never reports a disconnect outside Tomcat. */
  static ClientConnection of(HttpServletRequest request) {
    Object probe = request.getAttribute(ATTRIBUTE);
    return probe instanceof ClientConnection connection ? connection : new ClientConnection(null);
  }

  /** Whether the client has gone; never blocks. */
  synchronized boolean gone() {
    if (answered || coyote == null) {
      return false;
    }
    return socketAnswers() && socketAnswers();
  }

  private boolean socketAnswers() {
    coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
    return coyote.getAvailable() > 0;
  }

  /** The response is about to be written: from now on the connection belongs to the container. */
  synchronized void answered() {
    answered = true;
  }
}
