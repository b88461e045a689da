package io.sconej.cas.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP/1.1 subset spoken between CAS clients and the CAS: one message head (start line and
 * headers) and a body delimited by {@code Content-Length} only (no chunked transfer coding).
 *
 * <p>Refuses, with the status a server answers: heads over {@code maxHeadBytes} (431), more than 64
 * headers (431), header lines without a colon (400), {@code Transfer-Encoding} (501 is not used:
 * 400), a missing or malformed length when a body is expected (411/400), bodies over the limit
 * (413). The client side only: the CAS server is Helidon's webserver (sconej-cas, {@code
 * CasListener}), which is stricter still.
 */
public final class Http1 {
  private static final int MAX_HEADERS = 64;

  private Http1() {}

  /**
   * A message head.
   *
   * @param startLine the request or status line
   * @param headers header names in lower case mapped to their values
   */
  public record Head(String startLine, Map<String, String> headers) {
    /** Copies the headers. */
    public Head {
      headers = Map.copyOf(headers);
    }

    /** A header's value, by lower-case name. */
    public Optional<String> header(String lowerCaseName) {
      return Optional.ofNullable(headers.get(lowerCaseName));
    }
  }

  /**
   * Reads one head; empty if the peer closed the connection before sending any byte.
   *
   * @throws HttpProtocolException if the head is malformed or too large
   */
  public static Optional<Head> readHead(InputStream in, int maxHeadBytes) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    String start = null;
    Map<String, String> headers = new LinkedHashMap<>();
    int total = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (start == null && line.size() == 0) {
          return Optional.empty();
        }
        throw new HttpProtocolException(400, "connection closed inside the message head");
      }
      if (++total > maxHeadBytes) {
        throw new HttpProtocolException(431, "message head over " + maxHeadBytes + " bytes");
      }
      if (b != '\n') {
        line.write(b);
        continue;
      }
      String l = line.toString(StandardCharsets.ISO_8859_1);
      line.reset();
      if (l.endsWith("\r")) {
        l = l.substring(0, l.length() - 1);
      }
      if (start == null) {
        if (l.isEmpty()) {
          continue; // tolerated leading empty line (RFC 9112 section 2.2)
        }
        start = l;
        continue;
      }
      if (l.isEmpty()) {
        return Optional.of(new Head(start, headers));
      }
      int colon = l.indexOf(':');
      if (colon <= 0) {
        throw new HttpProtocolException(400, "malformed header line (no name or colon)");
      }
      if (headers.size() >= MAX_HEADERS) {
        throw new HttpProtocolException(431, "more than " + MAX_HEADERS + " headers");
      }
      String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      if (headers.put(name, l.substring(colon + 1).trim()) != null) {
        throw new HttpProtocolException(400, "header '" + name + "' given twice");
      }
    }
  }

  /**
   * Reads the body that {@code head} announces.
   *
   * @throws HttpProtocolException on transfer codings, bad lengths, or a body over {@code maxBytes}
   */
  public static byte[] readBody(InputStream in, Head head, int maxBytes) throws IOException {
    if (head.header("transfer-encoding").isPresent()) {
      throw new HttpProtocolException(
          400, "transfer codings are not accepted; send Content-Length");
    }
    Optional<String> cl = head.header("content-length");
    if (cl.isEmpty()) {
      return new byte[0];
    }
    long length;
    try {
      length = Long.parseLong(cl.get());
    } catch (NumberFormatException e) {
      throw new HttpProtocolException(400, "malformed Content-Length");
    }
    if (length < 0) {
      throw new HttpProtocolException(400, "negative Content-Length");
    }
    if (length > maxBytes) {
      throw new HttpProtocolException(
          413, "body of " + length + " bytes over the limit of " + maxBytes);
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length != length) {
      throw new HttpProtocolException(400, "connection closed inside the body");
    }
    return body;
  }

  /** Writes a request with an optional body ({@code contentType} empty for none). */
  public static void writeRequest(
      OutputStream out, String method, String path, String host, String contentType, byte[] body)
      throws IOException {
    StringBuilder h = new StringBuilder();
    h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host);
    h.append("\r\n");
    if (!contentType.isEmpty()) {
      h.append("Content-Type: ").append(contentType).append("\r\n");
    }
    h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** Parses a status line's code. */
  public static int status(Head head) throws HttpProtocolException {
    String[] p = head.startLine().split(" ", 3);
    if (p.length < 2 || !p[0].startsWith("HTTP/1.")) {
      throw new HttpProtocolException(400, "malformed status line");
    }
    try {
      return Integer.parseInt(p[1]);
    } catch (NumberFormatException e) {
      throw new HttpProtocolException(400, "malformed status code");
    }
  }
}
