package dev.cirrus.local.storage.api;

import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.storage.Faults;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.StorageError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON API's route table: method and path template to handler. A template's {@code {name}}
 * matches one segment, {@code {name...}} the rest of the path (object names hold slashes). Every
 * template also answers without the {@code /storage/v1} prefix, where the Node client sends it with
 * {@code STORAGE_EMULATOR_HOST} set. Only a sub-resource of an object ({@code .../o/x/acl}) also
 * matches the object's own route; it wins ({@link #find}), so the table's order does not matter
 * ({@code JsonRoutesTest} checks it).
 */
final class JsonRoutes {
  /** What a route does with a request. */
  interface Handler {
    void handle(Exchange exchange) throws IOException;
  }

  /** One route. */
  record Route(
      String method, String template, Pattern pattern, List<String> names, Handler handler) {
    Map<String, String> match(String method, String path) {
      if (!this.method.equals(method)) {
        return null;
      }
      Matcher m = pattern.matcher(path);
      if (!m.matches()) {
        return null;
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        params.put(names.get(i), Query.decode(m.group(i + 1)));
      }
      return params;
    }
  }

  private final List<Route> routes = new ArrayList<>();

  JsonRoutes add(String method, String template, Handler handler) {
    List<String> names = new ArrayList<>();
    StringBuilder regex = new StringBuilder("^");
    if (template.startsWith("/b") || template.startsWith("/projects")) {
      regex.append("(?:/storage/v1)?");
    }
    Matcher m = Pattern.compile("\\{([a-zA-Z]+)(\\.\\.\\.)?}").matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start())));
      regex.append(m.group(2) != null ? "(.+)" : "([^/]+)");
      names.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last))).append('$');
    routes.add(new Route(method, template, Pattern.compile(regex.toString()), names, handler));
    return this;
  }

  List<Route> routes() {
    return List.copyOf(routes);
  }

  /**
   * The route for a request: the one that matches, or where an object name's {@code ...} would
   * swallow a sub-resource ({@code /o/x/acl}), the route naming that sub-resource. Clients escape
   * the slashes of object names, so the sub-resource is what the request means.
   */
  Route find(String method, String path) {
    Route found = null;
    for (Route route : routes) {
      if (route.match(method, path) != null
          && (found == null || found.template().contains("...}"))) {
        found = route;
      }
    }
    return found;
  }

  /** Runs the route for the request, or answers 404 as the service does. */
  void dispatch(HttpExchange http, Faults faults, ObjectStore store) throws IOException {
    String method = Exchange.effectiveMethod(http);
    String path = http.getRequestURI().getRawPath();
    Route route = find(method, path);
    if (route == null) {
      throw StorageError.notFound("Not Found: " + method + " " + path);
    }
    route.handler().handle(new Exchange(http, route.match(method, path), faults, store));
  }
}
