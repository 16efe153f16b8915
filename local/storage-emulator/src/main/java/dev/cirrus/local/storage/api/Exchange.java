package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.storage.Fault;
import dev.cirrus.local.storage.Faults;
import dev.cirrus.local.storage.ObjectMeta;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.StorageError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One JSON API request as a handler sees it: the effective method, the path's parameters, the
 * query, the fault a retry test injected into it, and the ways to answer.
 */
final class Exchange {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpExchange http;
  private final String method;
  private final Map<String, String> params;
  private final Query query;
  private final Faults faults;
  private final ObjectStore store;

  Exchange(HttpExchange http, Map<String, String> params, Faults faults, ObjectStore store) {
    this.http = http;
    this.method = effectiveMethod(http);
    this.params = Map.copyOf(params);
    this.query = new Query(http.getRequestURI().getRawQuery());
    this.faults = faults;
    this.store = store;
  }

  HttpExchange http() {
    return http;
  }

  String method() {
    return method;
  }

  /** A path parameter, decoded. */
  String param(String name) {
    return params.get(name);
  }

  Query query() {
    return query;
  }

  String header(String name) {
    return http.getRequestHeaders().getFirst(name);
  }

  /** The fault a retry test injected into this request, if it is of {@code kind}; else null. */
  Fault fault(Fault.Kind kind) {
    return faults.get(http, kind);
  }

  String base() {
    return base(http);
  }

  /** The request body, un-gzipped. */
  InputStream body() throws IOException {
    return body(http);
  }

  JsonNode readJson() throws IOException {
    return parseJson(readMetadataBody());
  }

  JsonNode readJsonOrEmpty() throws IOException {
    byte[] body = readMetadataBody();
    return body.length == 0 ? JSON.createObjectNode() : parseJson(body);
  }

  /** A metadata body: small, so read whole, at most 1 MiB. */
  private byte[] readMetadataBody() throws IOException {
    try (InputStream in = body()) {
      return in.readNBytes(1024 * 1024);
    }
  }

  static JsonNode parseJson(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw StorageError.invalid("The request body must be a JSON object.");
      }
      return node;
    } catch (IOException e) {
      throw StorageError.parseError("Parse Error");
    }
  }

  /** The object resource in the projection asked for ({@code noAcl} unless asked). */
  void sendObject(ObjectMeta meta) throws IOException {
    sendJson(200, objectResource(meta, false));
  }

  /** The object resource in the projection asked for, or {@code full} by default. */
  Map<String, Object> objectResource(ObjectMeta meta, boolean fullByDefault) {
    return Resources.object(
        meta, base(), fullProjection(fullByDefault) ? store.bucket(meta.bucket()) : null);
  }

  /**
   * Whether the request asks for the {@code full} projection.
   *
   * @throws StorageError 400 for a projection the service does not have
   */
  boolean fullProjection(boolean byDefault) {
    String projection = query.get("projection").orElse(null);
    if (projection == null) {
      return byDefault;
    }
    return switch (projection) {
      case "full" -> true;
      case "noAcl" -> false;
      default -> throw StorageError.invalid("Invalid value for projection: " + projection);
    };
  }

  /** A 2xx JSON answer, cut down to what {@code fields=} selects. */
  void sendJson(int status, Object body) throws IOException {
    String fields = query.get("fields").orElse(null);
    if (fields == null) {
      sendJson(http, status, body);
      return;
    }
    sendJson(http, status, FieldSelection.parse(fields).apply(JSON.valueToTree(body)));
  }

  void sendEmpty(int status) throws IOException {
    http.getResponseHeaders().set("Content-Length", "0");
    http.sendResponseHeaders(status, -1);
  }

  static void sendJson(HttpExchange http, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    http.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    http.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = http.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * The method the client means: the Google HTTP client sends PATCH as POST with {@code
   * X-HTTP-Method-Override}, since HttpURLConnection has no PATCH.
   */
  static String effectiveMethod(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    return override != null && method.equals("POST")
        ? override.trim().toUpperCase(Locale.ROOT)
        : method;
  }

  /**
   * An error can be answered before the request's body is read (a refused upload, an injected
   * fault); the JDK server then drops the connection after the answer. Saying so spares the client
   * a reused connection that is already gone.
   */
  static void closeIfBodyMayBeUnread(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    boolean body =
        exchange.getRequestHeaders().containsKey("Transfer-Encoding")
            || (length != null && !length.trim().equals("0"));
    if (body) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
  }

  /** The request body, un-gzipped: the Google HTTP client gzips JSON and multipart bodies. */
  static InputStream body(HttpExchange exchange) throws IOException {
    InputStream raw = exchange.getRequestBody();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.trim().equalsIgnoreCase("gzip")) {
      try {
        return new GZIPInputStream(raw);
      } catch (ZipException e) {
        throw StorageError.invalid("Content-Encoding says gzip but the body is not gzip");
      }
    }
    return raw;
  }

  static String base(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    return "http://" + (host == null ? "127.0.0.1" : host);
  }
}
