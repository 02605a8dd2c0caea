package dev.classifier.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that POSTs the same prepared request over and over: the
 * request is one byte array written in one call, and the response is parsed just enough (status,
 * Content-Length or chunked, Retry-After, Connection: close). The load generator runs on the same
 * CPUs as the service, so it must cost as little as possible: the JDK's HttpClient, with its
 * selector thread and futures, took about 6 % of the service's throughput at 4 clients on a 2-CPU
 * machine. Not thread-safe: one per client thread.
 */
final class LeanHttpClient implements AutoCloseable {

  /** One response: its status, its {@code Retry-After} seconds (-1 if none) and its body. */
  record Response(int status, long retryAfterSeconds, String body) {}

  private static final int TIMEOUT_MILLIS = 120_000;

  private final InetSocketAddress address;
  private final String headBefore;
  private final String headAfter;
  private final byte[] request;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  LeanHttpClient(URI target, String contentType, byte[] body) {
    this(target, contentType, "", body);
  }

  /**
   * @param headers more header lines, each ending in CRLF (e.g. the V2 binary extension's {@code
   *     Inference-Header-Content-Length})
   */
  LeanHttpClient(URI target, String contentType, String headers, byte[] body) {
    this.address = new InetSocketAddress(target.getHost(), target.getPort());
    this.headBefore =
        "POST "
            + target.getRawPath()
            + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery())
            + " HTTP/1.1\r\nHost: "
            + target.getHost()
            + ":"
            + target.getPort()
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Length: ";
    this.headAfter = "\r\n" + headers + "\r\n";
    this.request = request(body);
  }

  private byte[] request(byte[] body) {
    byte[] head = (headBefore + body.length + headAfter).getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[head.length + body.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(body, 0, bytes, head.length, body.length);
    return bytes;
  }

  /** The bytes of the request as written: head and body. */
  int requestBytes() {
    return request.length;
  }

  /** Sends the request, on the open connection or a new one, and reads the whole response. */
  Response send() throws IOException {
    return sendBytes(request);
  }

  /** The same request with another body (a workload of many images on one connection). */
  Response send(byte[] body) throws IOException {
    return sendBytes(request(body));
  }

  private Response sendBytes(byte[] request) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.connect(address, TIMEOUT_MILLIS);
      in = new BufferedInputStream(socket.getInputStream(), 16384);
      out = socket.getOutputStream();
    }
    try {
      out.write(request);
      out.flush();
      return read();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private Response read() throws IOException {
    String statusLine = line();
    if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
      throw new IOException("not an HTTP/1.1 status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = -1;
    long retryAfter = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "retry-after" -> retryAfter = Long.parseLong(value);
        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(length > 0 ? (int) length : 1024);
    if (chunked) {
      for (long size = Long.parseLong(chunkSize(line()), 16); size > 0; ) {
        copy(size, body);
        line();
        size = Long.parseLong(chunkSize(line()), 16);
      }
      for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
        // trailers are not used
      }
    } else if (length >= 0) {
      copy(length, body);
    } else {
      in.transferTo(body);
      closeAfter = true;
    }
    if (closeAfter) {
      close();
    }
    return new Response(status, retryAfter, body.toString(StandardCharsets.UTF_8));
  }

  private static String chunkSize(String line) {
    int extension = line.indexOf(';');
    return (extension < 0 ? line : line.substring(0, extension)).trim();
  }

  private void copy(long n, ByteArrayOutputStream to) throws IOException {
    byte[] buffer = new byte[8192];
    while (n > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
      if (read < 0) {
        throw new EOFException("the connection closed inside a response body");
      }
      to.write(buffer, 0, read);
      n -= read;
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection closed inside a response head");
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing more to do with a connection being dropped
      }
      socket = null;
    }
  }
}
