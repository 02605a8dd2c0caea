package dev.classifier.http;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.ByteBuffer;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.net.ApplicationBufferHandler;

/**
 * Tells whether the client of a request whose body is fully read has disconnected, so its image is
 * not decoded or inferred for nobody, without ever losing a byte of a pipelined next request.
 *
 * <p>Tomcat's {@code AVAILABLE} action with a read does a non-blocking read of the socket into
 * Tomcat's own input buffer; an end of stream (or a half-close: a client that shuts its sending
 * side while waiting for the answer is treated as gone) answers 1 and leaves the buffer empty.
 * Tomcat itself only makes that read while a body is unfinished, and it is not safe after: the read
 * starts again at the end of the request's headers, overwriting the bytes that the last body read
 * fetched beyond the body (the start of a pipelined request, which Tomcat would hand back to the
 * next request's parser at the end of this one), and the next request is then lost or parsed from
 * the wrong bytes. So the socket is read only when Tomcat's buffer provably holds nothing past the
 * body: what the last body read fetched (from the end of the headers, where every body read writes)
 * is exactly the tail of the body. Otherwise, and for chunked bodies (whose framing is in that
 * buffer), the client counts as present: work for a client that has gone costs less than a lost
 * request. Bytes already buffered belong to a next request, so a client that sent them is present
 * too.
 *
 * <p>The servlet API cannot ask this after an async dispatch (Tomcat drops the read listener
 * there), so {@link #valve} hands the container's request over. Probes stop once the request has
 * its answer; they are serialised, since the container and the batch workers both ask.
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

  /** Where Tomcat's buffer held the end of the headers, or -1 when unknown. */
  private int bodyStart = -1;

  /** Whether reading the socket can lose nothing: set once the whole body is read. */
  private boolean readable;

  private ClientConnection(org.apache.coyote.Request coyote) {
    this.coyote = coyote;
  }

  /** The request's probe; one that never reports a disconnect outside Tomcat. */
  static ClientConnection of(HttpServletRequest request) {
    Object probe = request.getAttribute(ATTRIBUTE);
    return probe instanceof ClientConnection connection ? connection : new ClientConnection(null);
  }

  /** Called before any of the body is read: Tomcat's buffer position is the end of the headers. */
  synchronized void bodyStarting() {
    ByteBuffer buffer = tomcatBuffer();
    bodyStart = buffer == null ? -1 : buffer.position();
  }

  /**
   * Called once the whole body has been read, before anything else reads the connection: checks
   * that Tomcat's buffer holds no byte past the body, the condition for {@link #gone} to read.
   */
  synchronized void bodyEnded(byte[] body, int length) {
    ByteBuffer buffer = tomcatBuffer();
    if (buffer == null || bodyStart < 0 || buffer.hasRemaining()) {
      return; // unknown layout, or a next request is already buffered: never read ahead
    }
    int fetched = buffer.limit() - bodyStart;
    readable =
        fetched >= 0
            && fetched <= length
            && java.util.Arrays.equals(
                buffer.array(),
                buffer.arrayOffset() + bodyStart,
                buffer.arrayOffset() + buffer.limit(),
                body,
                length - fetched,
                length);
  }

  /** Whether the client has gone; never blocks, never consumes a next request. */
  synchronized boolean gone() {
    if (answered || !readable) {
      return false;
    }
    if (buffered()) {
      readable = false; // a next request has arrived: the client is there
      return false;
    }
    coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
    if (coyote.getAvailable() <= 0) {
      return false;
    }
    if (buffered()) {
      readable = false;
      return false;
    }
    return true; // the read found the end of the stream or an error
  }

  /** Bytes in Tomcat's buffer, read without touching the socket. */
  private boolean buffered() {
    coyote.action(ActionCode.AVAILABLE, Boolean.FALSE);
    return coyote.getAvailable() > 0;
  }

  private ByteBuffer tomcatBuffer() {
    if (coyote != null
        && coyote.getInputBuffer() instanceof ApplicationBufferHandler handler
        && handler.getByteBuffer() != null
        && handler.getByteBuffer().hasArray()) {
      return handler.getByteBuffer();
    }
    return null;
  }

  /** The response is about to be written: from now on the connection belongs to the container. */
  synchronized void answered() {
    answered = true;
  }
}
