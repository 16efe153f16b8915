package dev.cirrus.local.storage.api;

import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.storage.Faults;
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
 * {@code STORAGE_EMULATOR_HOST} set. No two routes match one request, so their order does not
 * matter ({@code JsonRoutesTest} checks it).
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

  /** Runs the one route that matches, or answers 404 as the service does. */
  void dispatch(HttpExchange http, Faults faults) throws IOException {
    String method = Exchange.effectiveMethod(http);
    String path = http.getRequestURI().getRawPath();
    for (Route route : routes) {
      Map<String, String> params = route.match(method, path);
      if (params != null) {
        route.handler().handle(new Exchange(http, params, faults));
        return;
      }
    }
    throw StorageError.notFound("Not Found: " + method + " " + path);
  }
}
