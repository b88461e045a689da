package io.sconej.cas;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Routes requests to handlers by method and path prefix (longest registered prefix first). Each
 * service registers its own routes (Helidon style). Unknown paths are 404, known paths with another
 * method 405.
 */
final class Router {
  /** A handler; the path remainder after the prefix is passed separately. */
  @FunctionalInterface
  interface Handler {
    Response handle(Request request, String remainder);
  }

  private record Route(String method, String prefix, boolean exact, Handler handler) {}

  private static final Logger LOG = Logger.getLogger(Router.class.getName());
  private final List<Route> routes = new ArrayList<>();

  /** Registers an exact path. */
  Router exact(String method, String path, Handler h) {
    routes.add(new Route(method, path, true, h));
    return this;
  }

  /** Registers a prefix; the handler gets the non-empty remainder. */
  Router prefix(String method, String prefix, Handler h) {
    routes.add(new Route(method, prefix, false, h));
    return this;
  }

  /**
   * Runs a handler so that every failure is answered: a {@link CasException} with its status and
   * message; anything else, including an {@link Error} such as {@code StackOverflowError} or {@code
   * OutOfMemoryError} raised by one request, is logged as one line (method, path and the
   * throwable's class, no request data) and answered 500 "internal error".
   */
  static Response handle(Handler h, Request r, String remainder) {
    try {
      return h.handle(r, remainder);
    } catch (CasException e) {
      return Response.error(e.status(), e.getMessage());
    } catch (RuntimeException | Error e) {
      LOG.severe(
          "internal error on " + r.method() + " " + r.path() + ": " + e.getClass().getName());
      return Response.error(500, "internal error");
    }
  }

  Response route(Request r) {
    boolean pathKnown = false;
    for (Route route : routes) {
      boolean match =
          route.exact
              ? r.path().equals(route.prefix)
              : r.path().startsWith(route.prefix) && r.path().length() > route.prefix.length();
      if (!match) {
        continue;
      }
      pathKnown = true;
      if (route.method.equals(r.method())) {
        return handle(
            route.handler, r, route.exact ? "" : r.path().substring(route.prefix.length()));
      }
    }
    return pathKnown
        ? Response.error(405, "method " + r.method() + " not allowed on " + r.path())
        : Response.error(404, "no such resource");
  }
}
