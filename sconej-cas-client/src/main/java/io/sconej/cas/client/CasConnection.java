package io.sconej.cas.client;

import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * One TLS 1.3 connection to a CAS, pinned to the CAS's CA certificate ({@link PinnedCasTrust}: no
 * other trust anchor, so no public CA can impersonate the CAS; host names are not checked because
 * the pinned CA certifies only the CAS), optionally authenticated with a client key and
 * certificate. Reconnects transparently when the CAS closed an idle connection. Not thread-safe.
 */
public final class CasConnection implements AutoCloseable {
  /** Largest response body accepted. */
  public static final int MAX_RESPONSE_BYTES = 4 << 20;

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 30_000;

  private final String host;
  private final int port;
  private final SSLContext ssl;
  private SSLSocket socket;
  private InputStream in;
  private OutputStream out;

  /**
   * A response.
   *
   * @param status the HTTP status
   * @param contentType the Content-Type, empty if none
   * @param body the body
   */
  public record Response(int status, String contentType, byte[] body) {
    /** The body as UTF-8 text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as a JSON object. */
    public Map<String, Object> json() throws JsonException {
      return Json.parseObject(text());
    }
  }

  private CasConnection(String host, int port, SSLContext ssl) {
    this.host = host;
    this.port = port;
    this.ssl = ssl;
  }

  /**
   * A connection to {@code host:port} trusting only {@code casCa}, presenting {@code clientCert}
   * with {@code clientKeys} if given. Connects lazily.
   */
  public static CasConnection create(
      String host, int port, X509Certificate casCa, Optional<ClientIdentity> client)
      throws GeneralSecurityException {
    KeyManager[] kms =
        client.isPresent()
            ? new KeyManager[] {
              new SingleKeyManager(client.get().keys().getPrivate(), client.get().cert())
            }
            : new KeyManager[0];
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    TrustManager[] tms = new TrustManager[] {new PinnedCasTrust(casCa)};
    ctx.init(kms, tms, io.sconej.crypto.Rng.secure());
    return new CasConnection(host, port, ctx);
  }

  /**
   * A TLS client identity.
   *
   * @param keys the key pair
   * @param cert its certificate
   */
  public record ClientIdentity(KeyPair keys, X509Certificate cert) {}

  /**
   * Sends one request and reads the response; retries once on a fresh connection if a reused
   * connection turned out closed before any response byte.
   *
   * @throws CasUnreachableException if the CAS cannot be reached or the handshake fails
   */
  public Response request(String method, String path, String contentType, byte[] body)
      throws IOException {
    boolean reused = socket != null;
    try {
      return exchange(method, path, contentType, body);
    } catch (IOException e) {
      closeQuietly();
      if (reused && !(e instanceof HttpProtocolException)) {
        return exchange(method, path, contentType, body);
      }
      throw e;
    }
  }

  private Response exchange(String method, String path, String contentType, byte[] body)
      throws IOException {
    connect();
    Http1.writeRequest(out, method, path, host, contentType, body);
    Http1.Head head =
        Http1.readHead(in, 16 << 10)
            .orElseThrow(
                () -> new IOException("CAS " + host + ":" + port + " closed the connection"));
    int status = Http1.status(head);
    byte[] resp = Http1.readBody(in, head, MAX_RESPONSE_BYTES);
    if (head.header("connection").map(v -> v.equalsIgnoreCase("close")).orElse(false)) {
      closeQuietly();
    }
    return new Response(status, head.header("content-type").orElse(""), resp);
  }

  private void connect() throws CasUnreachableException {
    if (socket != null) {
      return;
    }
    SSLSocket s = null;
    try {
      s = (SSLSocket) ssl.getSocketFactory().createSocket();
      s.setTcpNoDelay(true);
      s.setSoTimeout(READ_TIMEOUT_MS);
      s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      javax.net.ssl.SSLParameters params = s.getSSLParameters();
      params.setProtocols(new String[] {"TLSv1.3"});
      // One key share, X25519: the JDK otherwise adds a P-256 share, whose first use in a JVM
      // builds a generator table (~80 ms of CPU on an enclave's start-up path). A CAS is a JDK
      // TLS 1.3 server, which always offers X25519.
      params.setNamedGroups(new String[] {"x25519"});
      s.setSSLParameters(params);
      s.startHandshake();
      socket = s;
      in = new BufferedInputStream(s.getInputStream());
      out = new BufferedOutputStream(s.getOutputStream());
    } catch (IOException e) {
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // already failing; the connect error is what matters
        }
      }
      throw new CasUnreachableException(
          "cannot reach the CAS at " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private void closeQuietly() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection; nothing to report
      }
      socket = null;
    }
  }

  /** Closes the connection. */
  @Override
  public void close() {
    closeQuietly();
  }
}
