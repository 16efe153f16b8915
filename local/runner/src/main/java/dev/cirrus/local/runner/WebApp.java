package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.emulators.LoopbackServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The web app (web/, built into web/dist) served as Firebase Hosting would serve it: its files,
 * {@code /config.json} naming this stack's gateway and Auth emulator, and a Content Security Policy
 * that allows scripts from the app's own origin only.
 */
final class WebApp {
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "json", "application/json",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");

  private WebApp() {}

  /** Whether {@code root} holds a built app. */
  static boolean built(Path root) {
    return Files.isRegularFile(root.resolve("web/dist/index.html"));
  }

  /**
   * Serves {@code dist} on {@code port}.
   *
   * @param config what the app reads from /config.json
   * @param connect the origins the app may call (the gateway, the storage emulator, the Auth
   *     emulator), for the Content Security Policy
   */
  /**
   * The built app of the project at {@code root}, configured for the stack's emulators and gateway,
   * its Content Security Policy allowing connections to exactly those.
   */
  static LoopbackServer serveForStack(
      int port,
      Path root,
      String apiUrl,
      String projectId,
      String authHost,
      String firestoreHost,
      String storageUrl,
      String appCheckMintUrl)
      throws IOException {
    return serve(
        port,
        root.resolve("web/dist"),
        Map.of(
            "apiUrl",
            apiUrl,
            "projectId",
            projectId,
            // The Auth emulator takes any key; a demo project has no real one.
            "apiKey",
            "demo-key",
            "authEmulatorHost",
            authHost,
            "firestoreEmulatorHost",
            firestoreHost,
            // The stack's own App Check issuer, as the app's custom provider.
            "appCheckMintUrl",
            appCheckMintUrl),
        String.join(
            " ",
            apiUrl,
            storageUrl,
            "http://" + authHost,
            "http://" + firestoreHost,
            appCheckMintUrl));
  }

  static LoopbackServer serve(int port, Path dist, Map<String, String> config, String connect)
      throws IOException {
    byte[] configJson = new ObjectMapper().writeValueAsBytes(config);
    String csp =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: "
            + connect
            + "; connect-src 'self' "
            + connect
            + "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    Path root = dist.toAbsolutePath().normalize();
    return new LoopbackServer(
        port,
        "/",
        4,
        exchange -> {
          exchange.getResponseHeaders().set("Content-Security-Policy", csp);
          exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
          String path = exchange.getRequestURI().getPath();
          if (!exchange.getRequestMethod().equals("GET")
              && !exchange.getRequestMethod().equals("HEAD")) {
            send(exchange, 405, "text/plain", "GET only".getBytes(StandardCharsets.UTF_8));
            return;
          }
          if (path.equals("/config.json")) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            send(exchange, 200, TYPES.get("json"), configJson);
            return;
          }
          Path file = root.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
          if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
          }
          String name = file.getFileName().toString();
          String type =
              TYPES.getOrDefault(
                  name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
          send(exchange, 200, type, Files.readAllBytes(file));
        },
        (exchange, e) ->
            send(exchange, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }
}
