package dev.classifier.api;

import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * Tells whether the client of a request whose body is fully read has disconnected, so its image is
 * not decoded or inferred for nobody. In non-blocking mode (a ReadListener set), Tomcat answers
 * {@code available()} past the end of the body with a non-blocking read of the socket into its own
 * buffer: an end of stream shows as 1, every time; bytes of a pipelined next request also show as 1
 * the first time, but as 0 once they sit in Tomcat's buffer. So two positive answers in a row mean
 * the peer closed (or half-closed: an HTTP client that shuts its sending side while waiting for the
 * answer is treated as gone). Probes stop when the request has its answer.
 */
final class ClientConnection {

  private final ServletInputStream body;
  private boolean answered;

  ClientConnection(ServletInputStream body) {
    this.body = body;
  }

  /** Whether the client has gone; never blocks. */
  synchronized boolean gone() {
    if (answered) {
      return false;
    }
    try {
      return body.available() > 0 && body.available() > 0;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** The response is about to be written: from now on the connection belongs to the container. */
  synchronized void answered() {
    answered = true;
  }
}
