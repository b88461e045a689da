package io.sconej.cas;

import io.sconej.cas.client.Http1;
import io.sconej.cas.client.HttpProtocolException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A small HTTPS/1.1 server: TLS 1.3 only, client certificates wanted (not required), TCP_NODELAY,
 * one virtual thread per connection, keep-alive. Every failure is answered with a 4xx JSON error,
 * never a stack trace; an unexpected exception in a handler is logged (without request data) and
 * answered 500 "internal error".
 */
final class HttpsListener implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HttpsListener.class.getName());
  private static final int MAX_HEAD_BYTES = 16 << 10;
  private static final int MAX_CONNECTIONS = 2048;

  private final SSLServerSocket server;
  private final Router router;
  private final int maxBodyBytes;
  private final int idleTimeoutMillis;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
  private final Thread acceptor;

  HttpsListener(
      SSLContext ssl,
      InetAddress bind,
      int port,
      Router router,
      int maxBodyBytes,
      int idleTimeoutMillis)
      throws IOException {
    this.router = router;
    this.maxBodyBytes = maxBodyBytes;
    this.idleTimeoutMillis = idleTimeoutMillis;
    server = (SSLServerSocket) ssl.getServerSocketFactory().createServerSocket(port, 512, bind);
    server.setEnabledProtocols(new String[] {"TLSv1.3"});
    server.setWantClientAuth(true);
    acceptor = Thread.ofPlatform().name("cas-accept").daemon(true).unstarted(this::acceptLoop);
  }

  void start() {
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        SSLSocket s = (SSLSocket) server.accept();
        if (!connections.tryAcquire()) {
          s.close();
          continue;
        }
        threads.execute(
            () -> {
              try {
                serve(s);
              } finally {
                connections.release();
              }
            });
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.log(Level.FINE, "accept failed: {0}", e.getMessage());
        }
      }
    }
  }

  private void serve(SSLSocket s) {
    try (s) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(idleTimeoutMillis);
      s.startHandshake();
      Optional<X509Certificate> peer = peer(s);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      while (true) {
        Optional<Http1.Head> head;
        Response resp;
        boolean close;
        try {
          head = Http1.readHead(in, MAX_HEAD_BYTES);
          if (head.isEmpty()) {
            return;
          }
          close =
              head.get().header("connection").map(v -> v.equalsIgnoreCase("close")).orElse(false);
          byte[] body;
          try {
            body = Http1.readBody(in, head.get(), maxBodyBytes);
          } catch (HttpProtocolException e) {
            if (e.status() == 413) {
              drain(in, head.get());
            }
            throw e;
          }
          resp = dispatch(head.get(), body, peer);
        } catch (HttpProtocolException e) {
          Http1.writeResponse(
              out,
              e.status(),
              "application/json",
              Response.error(e.status(), e.getMessage()).body(),
              true);
          return;
        }
        Http1.writeResponse(out, resp.status(), resp.contentType(), resp.body(), close);
        if (close) {
          return;
        }
      }
    } catch (SocketException | javax.net.ssl.SSLException e) {
      LOG.log(Level.FINE, "connection ended: {0}", e.getMessage());
    } catch (IOException e) {
      LOG.log(Level.FINE, "connection failed: {0}", e.getMessage());
    }
  }

  private Response dispatch(Http1.Head head, byte[] body, Optional<X509Certificate> peer)
      throws HttpProtocolException {
    String[] parts = head.startLine().split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new HttpProtocolException(400, "malformed request line");
    }
    String path = parts[1];
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    String type = head.header("content-type").orElse("");
    int semi = type.indexOf(';');
    type = (semi >= 0 ? type.substring(0, semi) : type).trim().toLowerCase(Locale.ROOT);
    Request r = new Request(parts[0], path, type, body, peer);
    try {
      return router.route(r);
    } catch (CasException e) {
      return Response.error(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "internal error on " + r.method() + " " + r.path() + ": " + e.getClass().getName());
      return Response.error(500, "internal error");
    }
  }

  /** Reads and drops up to 4 MiB of an oversized body so the client can read the 413. */
  private static void drain(InputStream in, Http1.Head head) {
    try {
      long n = Math.min(Long.parseLong(head.header("content-length").orElse("0")), 4 << 20);
      in.skipNBytes(n);
    } catch (IOException | NumberFormatException e) {
      // the connection is closed right after the 413 anyway
    }
  }

  private static Optional<X509Certificate> peer(SSLSocket s) {
    try {
      var certs = s.getSession().getPeerCertificates();
      return certs.length > 0 && certs[0] instanceof X509Certificate x
          ? Optional.of(x)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
