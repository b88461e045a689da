package io.sconej.cas;

import io.helidon.common.tls.Tls;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * The CAS's HTTPS listener: Helidon SE 4's webserver (one virtual thread per connection, its strict
 * HTTP/1.1 parser with header validation) behind a {@link ConnectionGuard}. TLS 1.3 only, client
 * certificates wanted, not required; HTTP/1.1 only (no HTTP/2, no upgrades); TCP_NODELAY.
 *
 * <p>What comes from Helidon and what is added (see docs/cas-api.md, "Connections"):
 *
 * <ul>
 *   <li>Helidon: request parsing and validation, {@code maxPayloadSize} (413), the idle timeout
 *       between requests ({@code idleConnectionTimeout}), the per-read timeout, the total
 *       connection limit ({@code maxTcpConnections}) and the concurrent request limit.
 *   <li>Added here: the handshake and request deadlines, the per-peer limit and the bounded
 *       handshake pool ({@link ConnectionGuard}); JSON bodies for the errors Helidon answers itself
 *       (malformed requests, 413), an answer where it would close without one ({@link
 *       MalformedRequestSelector}) and a check of what its parser lets through ({@link
 *       StrictHttp}).
 * </ul>
 *
 * Lifecycle: {@link #start} binds and listens or throws {@link IOException} (nothing listening);
 * {@link #close} stops listening and closes every connection, requests in flight may fail.
 */
final class CasListener implements AutoCloseable {
  // Helidon logs its start banner and per-listener lines at INFO; the CAS prints its own.
  private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

  static {
    HELIDON_LOG.setLevel(Level.WARNING);
  }

  /** Bodies up to this much over the limit are read and dropped, so the client sees the 413. */
  private static final int DRAIN_BYTES = 4 << 20;

  private final WebServer server;
  private final ConnectionGuard guard;

  private CasListener(WebServer server, ConnectionGuard guard) {
    this.server = server;
    this.guard = guard;
  }

  /**
   * Starts listening on {@code config}'s address and port with {@code services}.
   *
   * @throws java.net.BindException naming the address and port if it is in use or not an address of
   *     this machine
   * @throws java.net.UnknownHostException if the address does not resolve
   */
  static CasListener start(SSLContext ssl, CasConfig config, List<HttpService> services)
      throws IOException {
    InetAddress address = InetAddress.getByName(config.bindAddress());
    probe(address, config.port());
    ConnectionGuard guard =
        new ConnectionGuard(
            config.handshakeTimeout(),
            config.requestTimeout(),
            config.maxHandshakes(),
            config.maxConnectionsPerPeer());
    Http1ConnectionListener deadlines =
        new Http1ConnectionListener() {
          @Override
          public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            guard.requestStarted(ctx.remotePeer().address());
          }

          @Override
          public void status(ConnectionContext ctx, Status status) {
            guard.requestRead(ctx.remotePeer().address());
          }
        };
    HttpRouting.Builder routing =
        HttpRouting.builder()
            .addFilter(
                (chain, req, res) -> {
                  req.context().register(guard);
                  req.context().register(config);
                  var problem = StrictHttp.problem(req);
                  if (problem.isPresent()) {
                    res.header(HeaderValues.CONNECTION_CLOSE);
                    Exchange.send(res, Response.error(400, problem.get()));
                  } else {
                    chain.proceed();
                  }
                });
    services.forEach(routing::register);
    routing.any(Exchange.notFound404());
    try {
      WebServer server =
          WebServer.builder()
              .shutdownHook(false)
              .address(address)
              .port(config.port())
              .backlog(1024)
              .useNio(false)
              .tls(Tls.builder().sslContext(new GuardedSslContext(ssl, guard)).build())
              .maxTcpConnections(config.maxConnections())
              .idleConnectionTimeout(java.time.Duration.ofMillis(config.idleTimeoutMillis()))
              .idleConnectionPeriod(java.time.Duration.ofSeconds(1))
              .connectionOptions(
                  o ->
                      o.tcpNoDelay(true).readTimeout(config.requestTimeout()).socketKeepAlive(true))
              .maxPayloadSize(config.maxBodyBytes() + (long) DRAIN_BYTES)
              .maxConcurrentRequests(config.maxConcurrentRequests())
              .protocols(
                  List.of(
                      Http1Config.builder()
                          .maxPrologueLength(4096)
                          .maxHeadersSize(16 << 10)
                          .validatePath(true)
                          .validatePrologue(true)
                          .validateRequestHeaders(true)
                          .addReceiveListener(deadlines)
                          .addSendListener(deadlines)
                          .build()))
              .addConnectionSelector(new MalformedRequestSelector())
              .directHandlers(jsonErrors())
              .routing(routing)
              .build()
              .start();
      if (!server.isRunning() || server.port() < 0) {
        // Helidon logs a failed bind and returns a stopped server instead of throwing.
        server.stop();
        throw new IOException(
            "cannot listen on "
                + config.bindAddress()
                + ":"
                + config.port()
                + " (in use, or not an address of this machine)");
      }
      return new CasListener(server, guard);
    } catch (IOException e) {
      guard.close();
      throw e;
    } catch (UncheckedIOException e) {
      guard.close();
      throw e.getCause();
    } catch (RuntimeException e) {
      guard.close();
      throw new IOException("cannot listen on " + config.bindAddress() + ":" + config.port(), e);
    }
  }

  /**
   * Binds and closes a socket on {@code address:port} first, so that an address in use or not of
   * this machine is one {@link java.net.BindException} naming it (Helidon would log it with a stack
   * trace and return a server that is not running).
   */
  private static void probe(InetAddress address, int port) throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(address, port));
    } catch (IOException e) {
      java.net.BindException b =
          new java.net.BindException(
              "cannot listen on " + address.getHostAddress() + ":" + port + ": " + e.getMessage());
      b.initCause(e);
      throw b;
    }
  }

  /** Errors Helidon answers before routing (bad request, 413, 414, 431...) as JSON. */
  private static DirectHandlers jsonErrors() {
    DirectHandler json =
        (request, type, status, headers, message) -> {
          int code = status.code();
          String text =
              switch (code) {
                case 413 -> "body over the limit";
                case 414 -> "request line too long";
                case 431 -> "message head too large";
                case 503 -> "too many concurrent requests";
                default -> code >= 500 ? "internal error" : malformed(message);
              };
          return DirectHandler.TransportResponse.builder()
              .status(status)
              .headers(headers)
              .header(HeaderNames.CONTENT_TYPE, "application/json")
              .header(HeaderNames.CACHE_CONTROL, "no-store")
              .header(HeaderValues.CONNECTION_CLOSE)
              .entity(Response.error(code, text).body())
              .build();
        };
    DirectHandlers.Builder b = DirectHandlers.builder();
    for (DirectHandler.EventType t : DirectHandler.EventType.values()) {
      b.addHandler(t, json);
    }
    return b.build();
  }

  private static String malformed(String helidonMessage) {
    String m = oneLine(helidonMessage);
    return m.isBlank() ? "malformed request" : "malformed request (" + m + ")";
  }

  /** At most 120 printable ASCII characters of Helidon's own message. */
  private static String oneLine(String m) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; m != null && i < m.length() && b.length() < 120; i++) {
      char c = m.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  /** The bound port. */
  int port() {
    return server.port();
  }

  /** The connection guard (tests read its counters). */
  ConnectionGuard guard() {
    return guard;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } finally {
      guard.close();
    }
  }
}
