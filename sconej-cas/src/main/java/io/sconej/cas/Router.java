package io.sconej.cas;

import java.util.ArrayList;
import java.util.List;

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
        return route.handler.handle(
            r, route.exact ? "" : r.path().substring(route.prefix.length()));
      }
    }
    return pathKnown
        ? Response.error(405, "method " + r.method() + " not allowed on " + r.path())
        : Response.error(404, "no such resource");
  }
}
