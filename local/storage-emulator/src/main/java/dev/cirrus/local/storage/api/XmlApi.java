package dev.cirrus.local.storage.api;

import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.storage.ObjectFields;
import dev.cirrus.local.storage.ObjectMeta;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.Preconditions;
import dev.cirrus.local.storage.StorageError;
import dev.cirrus.local.storage.blob.StoredBlob;
import dev.cirrus.local.storage.signing.SignatureException;
import dev.cirrus.local.storage.signing.SignedRequest;
import dev.cirrus.local.storage.signing.V4SignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The XML API as signed URLs use it: {@code GET}, {@code HEAD}, {@code PUT}, {@code DELETE} on
 * {@code /bucket/object} and the V4 resumable start ({@code POST} with {@code x-goog-resumable:
 * start}). Every request must carry a valid V4 signature of a trusted account; faults are the
 * service's XML error documents.
 */
public final class XmlApi {
  private static final Pattern PATH = Pattern.compile("^/([^/]+)/(.+)$");

  private final ObjectStore store;
  private final JsonApi json;
  private final V4SignatureVerifier verifier;

  public XmlApi(ObjectStore store, JsonApi json, V4SignatureVerifier verifier) {
    this.store = store;
    this.json = json;
    this.verifier = verifier;
  }

  /**
   * True for the paths this API serves (anything the JSON API does not). The Node client sends JSON
   * API paths without {@code /storage/v1} to an emulator, so {@code /b/...} and {@code
   * /projects/...} are the JSON API's: an XML request for a bucket named {@code b} or {@code
   * projects} cannot reach it here.
   */
  public static boolean serves(String rawPath) {
    return PATH.matcher(rawPath).matches()
        && !rawPath.startsWith("/storage/")
        && !rawPath.startsWith("/upload/")
        && !rawPath.startsWith("/download/")
        && !rawPath.startsWith("/b/")
        && !rawPath.startsWith("/projects/")
        && !rawPath.startsWith("/_internal/");
  }

  public void handle(HttpExchange exchange) throws IOException {
    try {
      verify(exchange);
      route(exchange);
    } catch (SignatureException e) {
      Exchange.closeIfBodyMayBeUnread(exchange);
      error(exchange, e.status(), e.code(), e.getMessage());
    } catch (StorageAccessDenied e) {
      Exchange.closeIfBodyMayBeUnread(exchange);
      error(
          exchange,
          403,
          "AccessDenied",
          "Anonymous caller does not have storage.objects access: sign the URL.");
    } catch (StorageError e) {
      Exchange.closeIfBodyMayBeUnread(exchange);
      error(exchange, e.status(), xmlCode(e), e.getMessage());
    }
  }

  private void verify(HttpExchange exchange) throws SignatureException, IOException {
    if (!V4SignatureVerifier.isSigned(exchange.getRequestURI().getRawQuery())) {
      // Buckets here are private: an anonymous caller is refused as the real service does.
      throw new StorageAccessDenied();
    }
    Map<String, List<String>> headers = new HashMap<>(exchange.getRequestHeaders());
    verifier.verify(
        new SignedRequest(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            headers));
  }

  private void route(HttpExchange exchange) throws IOException {
    Matcher m = PATH.matcher(exchange.getRequestURI().getRawPath());
    if (!m.matches()) {
      throw StorageError.notFound("The specified key does not exist.");
    }
    String bucket = Query.decode(m.group(1));
    String name = Query.decode(m.group(2));
    Preconditions conditions = preconditions(exchange);
    switch (exchange.getRequestMethod()) {
      case "GET", "HEAD" -> json.download(exchange, bucket, name);
      case "PUT" -> put(exchange, bucket, name, conditions);
      case "DELETE" -> {
        store.delete(bucket, name, conditions);
        exchange.sendResponseHeaders(204, -1);
      }
      case "POST" -> {
        String resumable = exchange.getRequestHeaders().getFirst("x-goog-resumable");
        if (!"start".equals(resumable)) {
          throw StorageError.invalid("POST needs x-goog-resumable: start");
        }
        store.bucket(bucket);
        String location =
            json.uploads()
                .openSession(
                    Exchange.base(exchange),
                    bucket,
                    name,
                    fields(exchange),
                    conditions,
                    OptionalLong.empty());
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(201, -1);
      }
      default -> throw StorageError.invalid("Unsupported method");
    }
  }

  private void put(HttpExchange exchange, String bucket, String name, Preconditions conditions)
      throws IOException {
    store.bucket(bucket);
    ObjectFields fields = DeclaredDigests.of(exchange, true).addTo(fields(exchange));
    StoredBlob blob;
    try (InputStream in = Exchange.body(exchange)) {
      blob = store.blobs().write(in);
    }
    ObjectMeta meta = store.insert(bucket, name, blob, fields, conditions);
    exchange.getResponseHeaders().set("ETag", "\"" + Resources.etag(meta) + "\"");
    exchange.getResponseHeaders().set("x-goog-generation", Long.toString(meta.generation()));
    exchange
        .getResponseHeaders()
        .set("x-goog-hash", "crc32c=" + meta.crc32c() + ",md5=" + meta.md5());
    exchange.sendResponseHeaders(200, -1);
  }

  private static ObjectFields fields(HttpExchange exchange) {
    Map<String, String> metadata = new HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (lower.startsWith("x-goog-meta-")) {
                metadata.put(lower.substring("x-goog-meta-".length()), values.get(0));
              }
            });
    var h = exchange.getRequestHeaders();
    return new ObjectFields(
        h.getFirst("Content-Type"),
        metadata,
        h.getFirst("Content-Disposition"),
        h.getFirst("Cache-Control"),
        null,
        null,
        null,
        null);
  }

  private static Preconditions preconditions(HttpExchange exchange) {
    return new Preconditions(
        new Query(exchange.getRequestURI().getRawQuery()).number("generation"),
        number(exchange, "x-goog-if-generation-match"),
        OptionalLong.empty(),
        number(exchange, "x-goog-if-metageneration-match"),
        OptionalLong.empty());
  }

  private static OptionalLong number(HttpExchange exchange, String header) {
    String value = exchange.getRequestHeaders().getFirst(header);
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      throw StorageError.invalid("Invalid " + header);
    }
  }

  /** An unsigned request to the XML API. */
  private static final class StorageAccessDenied extends RuntimeException {
    StorageAccessDenied() {
      super(null, null, false, false);
    }
  }

  private static String xmlCode(StorageError e) {
    if (e.xmlCode() != null) {
      return e.xmlCode();
    }
    return switch (e.status()) {
      case 404 -> "NoSuchKey";
      case 409 -> "Conflict";
      case 412 -> "PreconditionFailed";
      case 416 -> "InvalidRange";
      default -> "InvalidArgument";
    };
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    String xml =
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>"
            + code
            + "</Code><Message>"
            + message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            + "</Message></Error>";
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/xml; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
