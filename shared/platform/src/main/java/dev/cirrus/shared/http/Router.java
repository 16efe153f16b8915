package dev.cirrus.shared.http;

import dev.cirrus.shared.config.RouteClass;
import dev.cirrus.shared.error.MethodNotAllowed;
import dev.cirrus.shared.error.NotFound;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Finds the route for a method and path; every route needs a token unless declared public. */
public final class Router {
  private final List<Route> routes = new ArrayList<>();

  public Router get(String path, Handler handler) {
    return add("GET", path, true, handler);
  }

  public Router put(String path, Handler handler) {
    return add("PUT", path, true, handler);
  }

  public Router post(String path, Handler handler) {
    return add("POST", path, true, handler);
  }

  public Router patch(String path, Handler handler) {
    return add("PATCH", path, true, handler);
  }

  public Router delete(String path, Handler handler) {
    return add("DELETE", path, true, handler);
  }

  /**
   * A POST that opens an upload session: the costliest call (a Cloud Storage session and a quota
   * reservation), so it has App Check and rate budgets of its own ({@link RouteClass#UPLOAD}).
   */
  public Router uploadCreation(String path, Handler handler) {
    return add("POST", path, true, RouteClass.UPLOAD, handler);
  }

  /** A route that needs no token. Use sparingly: health checks, nothing with data. */
  public Router publicGet(String path, Handler handler) {
    return add("GET", path, false, handler);
  }

  private Router add(String method, String path, boolean authenticated, Handler handler) {
    return add(method, path, authenticated, RouteClass.ofMethod(method), handler);
  }

  private Router add(
      String method, String path, boolean authenticated, RouteClass routeClass, Handler handler) {
    routes.add(new Route(method, PathTemplate.of(path), authenticated, routeClass, handler));
    return this;
  }

  /** A matched route with the path's variables. */
  public record Match(Route route, Map<String, String> pathParams) {}

  /**
   * @throws NotFound when no route has this path
   * @throws MethodNotAllowed when routes have this path but not this method
   */
  public Match route(String method, String path) {
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Optional<Map<String, String>> params = route.path().match(path);
      if (params.isPresent()) {
        if (route.method().equals(method)) {
          return new Match(route, params.get());
        }
        allowed.add(route.method());
      }
    }
    if (allowed.isEmpty()) {
      throw new NotFound("no-route", "no route for " + path);
    }
    throw new MethodNotAllowed(
        "method-not-allowed",
        method + " is not allowed here; allowed: " + String.join(", ", allowed));
  }

  /** Methods any route on this path accepts, for {@code Allow} and CORS preflight. */
  public TreeSet<String> methodsFor(String path) {
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      if (route.path().match(path).isPresent()) {
        allowed.add(route.method());
      }
    }
    return allowed;
  }
}
