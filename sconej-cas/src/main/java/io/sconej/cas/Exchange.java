package io.sconej.cas;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Adapts the CAS's handlers ({@link Request} in, {@link Response} out) to Helidon routes. Every
 * outcome is a JSON response: a {@link CasException} its status and message, any other exception or
 * error (a {@code StackOverflowError} included) a logged 500 {@code "internal error"} naming the
 * method, path and exception class only, never request data or a stack trace. A body over {@link
 * CasConfig#maxBodyBytes} is read and dropped, then refused with 413 and the connection closed.
 */
final class Exchange {
  private static final Logger LOG = Logger.getLogger(Exchange.class.getName());

  /** A CAS handler; {@code remainder} is the path after the route's prefix ("" for exact). */
  @FunctionalInterface
  interface CasHandler {
    Response handle(Request request, String remainder);
  }

  private Exchange() {}

  /** A route for an exact path. */
  static Handler exact(CasHandler h) {
    return (req, res) -> serve(req, res, "", h);
  }

  /** A route for {@code prefix + "*"}: the handler gets the non-empty remainder, else 404. */
  static Handler under(String prefix, CasHandler h) {
    return (req, res) -> {
      String path = req.path().path();
      String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
      serve(req, res, rest, rest.isEmpty() ? (r, x) -> notFound() : h);
    };
  }

  /** 405 for a known path with another method. */
  static Handler notAllowed() {
    return (req, res) ->
        serve(
            req,
            res,
            "",
            (r, x) -> Response.error(405, "method " + r.method() + " not allowed on " + r.path()));
  }

  /** 404 for every other path. */
  static Handler notFound404() {
    return (req, res) -> serve(req, res, "", (r, x) -> notFound());
  }

  private static Response notFound() {
    return Response.error(404, "no such resource");
  }

  private static void serve(ServerRequest req, ServerResponse res, String rest, CasHandler h) {
    Response out;
    String method = req.prologue().method().text();
    String path = req.path().path();
    try {
      long length = req.headers().contentLength().orElse(0);
      int max = req.context().get(CasConfig.class).map(CasConfig::maxBodyBytes).orElse(0);
      if (length > max) {
        drain(req);
        res.header(HeaderValues.CONNECTION_CLOSE);
        send(res, Response.error(413, "body of " + length + " bytes over the limit of " + max));
        return;
      }
      byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
      req.context()
          .get(ConnectionGuard.class)
          .ifPresent(g -> g.requestRead(req.remotePeer().address()));
      out = h.handle(new Request(method, path, contentType(req), body, clientCert(req)), rest);
    } catch (CasException e) {
      out = Response.error(e.status(), e.getMessage());
    } catch (RuntimeException | Error e) {
      LOG.log(
          Level.SEVERE, "internal error on " + method + " " + path + ": " + e.getClass().getName());
      out = Response.error(500, "internal error");
    }
    send(res, out);
  }

  /** Reads and drops an oversized body (Helidon bounds it) so the client can read the 413. */
  private static void drain(ServerRequest req) {
    try (InputStream in = req.content().inputStream()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      // the connection is closed after the 413 anyway
    }
  }

  /** Writes {@code r} with {@code Cache-Control: no-store}. */
  static void send(ServerResponse res, Response r) {
    res.status(Status.create(r.status()));
    res.header(HeaderNames.CONTENT_TYPE, r.contentType());
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(r.body());
  }

  private static String contentType(ServerRequest req) {
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    int semi = type.indexOf(';');
    return (semi >= 0 ? type.substring(0, semi) : type).trim().toLowerCase(Locale.ROOT);
  }

  private static Optional<X509Certificate> clientCert(ServerRequest req) {
    Optional<Certificate[]> certs = req.remotePeer().tlsCertificates();
    return certs.isPresent()
            && certs.get().length > 0
            && certs.get()[0] instanceof X509Certificate x
        ? Optional.of(x)
        : Optional.empty();
  }
}
