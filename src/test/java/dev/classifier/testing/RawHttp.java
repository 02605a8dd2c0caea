package dev.classifier.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 by hand over a socket, for what a client library will not send: malformed request lines
 * and headers, bodies that stop halfway, connections closed right after the request.
 */
public final class RawHttp implements AutoCloseable {

  /** A response as read off the wire: status line, headers and body. */
  public record Response(int status, String head, String body) {

    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private final Socket socket;
  private final OutputStream out;

  public RawHttp(int port) {
    try {
      socket = new Socket("localhost", port);
      socket.setSoTimeout(60_000);
      socket.setTcpNoDelay(true); // each send goes out as it is, so tests can shape the segments
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawHttp send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads one response: headers, then the body by Content-Length, or until the server closes; an
   * interim (1xx) response has no body.
   */
  public Response read() {
    try {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed inside the response headers: " + head);
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String headers = head.toString(StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(headers.substring(9, 12));
      Response partial = new Response(status, headers, "");
      String length = partial.header("Content-Length");
      byte[] body;
      if (status < 200) {
        body = new byte[0];
      } else if (length != null) {
        body = in.readNBytes(Integer.parseInt(length));
      } else if ("chunked".equalsIgnoreCase(partial.header("Transfer-Encoding"))) {
        body = chunked(in);
      } else {
        body = in.readAllBytes();
      }
      return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the server has started to answer, without reading the answer. */
  public RawHttp awaitAnswer() {
    try {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (socket.getInputStream().available() == 0) {
        if (System.nanoTime() > deadline) {
          throw new IOException("no answer within 10 s");
        }
        Thread.onSpinWait();
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What the server sends after the last response, up to its end of the connection; a reset (the
   * server closed with unread bytes of ours) is an {@link UncheckedIOException}.
   */
  public String readToEnd() {
    try {
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(line(in).trim(), 16);
      if (size == 0) {
        line(in);
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed inside a chunked body");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a test socket: nothing to do
    }
  }
}
