package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.storage.Fault;
import dev.cirrus.local.storage.ObjectFields;
import dev.cirrus.local.storage.ObjectListing;
import dev.cirrus.local.storage.ObjectMeta;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.Preconditions;
import dev.cirrus.local.storage.StorageError;
import dev.cirrus.local.storage.blob.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Objects: list, get, download, patch, update, delete, rewrite, copy, compose. */
final class ObjectHandlers {
  private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

  private final ObjectStore store;

  ObjectHandlers(ObjectStore store) {
    this.store = store;
  }

  void routes(JsonRoutes routes) {
    routes
        .add("GET", "/b/{bucket}/o", this::list)
        .add("GET", "/b/{bucket}/o/{object...}", this::get)
        .add("GET", "/download/storage/v1/b/{bucket}/o/{object...}", this::download)
        .add("PATCH", "/b/{bucket}/o/{object...}", e -> update(e, true))
        .add("PUT", "/b/{bucket}/o/{object...}", e -> update(e, false))
        .add("DELETE", "/b/{bucket}/o/{object...}", this::delete)
        .add(
            "POST",
            "/b/{bucket}/o/{object}/rewriteTo/b/{destinationBucket}/o/{destinationObject}",
            e -> rewrite(e, true))
        .add(
            "POST",
            "/b/{bucket}/o/{object}/copyTo/b/{destinationBucket}/o/{destinationObject}",
            e -> rewrite(e, false))
        .add("POST", "/b/{bucket}/o/{object}/compose", this::compose);
  }

  private void list(Exchange exchange) throws IOException {
    Query query = exchange.query();
    int max = (int) query.number("maxResults").orElse(1000);
    if (max < 1) {
      throw StorageError.invalid("Invalid value for maxResults");
    }
    ObjectListing listing =
        store.list(
            exchange.param("bucket"),
            query.get("prefix").orElse(null),
            query.get("delimiter").orElse(null),
            query.get("pageToken").orElse(null),
            Math.min(max, 1000));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#objects");
    boolean full = exchange.fullProjection(false);
    List<Object> items = new ArrayList<>();
    listing.items().forEach(o -> items.add(exchange.objectResource(o, full)));
    body.put("items", items);
    if (!listing.prefixes().isEmpty()) {
      body.put("prefixes", listing.prefixes());
    }
    if (listing.nextPageToken() != null) {
      body.put("nextPageToken", listing.nextPageToken());
    }
    exchange.sendJson(200, body);
  }

  private void get(Exchange exchange) throws IOException {
    if (exchange.query().get("alt").orElse("json").equals("media")) {
      download(exchange);
      return;
    }
    ObjectMeta meta =
        store.get(
            exchange.param("bucket"), exchange.param("object"), exchange.query().preconditions());
    exchange.sendJson(200, exchange.objectResource(meta, false));
  }

  private void delete(Exchange exchange) throws IOException {
    store.delete(
        exchange.param("bucket"), exchange.param("object"), exchange.query().preconditions());
    exchange.sendEmpty(204);
  }

  private void update(Exchange exchange, boolean patch) throws IOException {
    String bucket = exchange.param("bucket");
    String name = exchange.param("object");
    JsonNode body = exchange.readJson();
    ObjectMeta current = store.get(bucket, name, Preconditions.NONE);
    ObjectFields fields = patch ? ObjectFieldsJson.merge(current, body) : ObjectFieldsJson.of(body);
    ObjectMeta updated = store.update(bucket, name, fields, exchange.query().preconditions());
    exchange.sendJson(200, exchange.objectResource(updated, true));
  }

  /** rewriteTo and copyTo: one call does it all here, so rewrite answers done at once. */
  private void rewrite(Exchange exchange, boolean rewrite) throws IOException {
    Query query = exchange.query();
    Preconditions sourceConditions =
        new Preconditions(
            query.number("sourceGeneration"),
            query.number("ifSourceGenerationMatch"),
            query.number("ifSourceGenerationNotMatch"),
            query.number("ifSourceMetagenerationMatch"),
            query.number("ifSourceMetagenerationNotMatch"));
    JsonNode body = exchange.readJsonOrEmpty();
    ObjectMeta copy =
        store.copy(
            exchange.param("bucket"),
            exchange.param("object"),
            sourceConditions,
            exchange.param("destinationBucket"),
            exchange.param("destinationObject"),
            ObjectFieldsJson.of(body),
            query.preconditions());
    Map<String, Object> resource = exchange.objectResource(copy, false);
    if (!rewrite) {
      exchange.sendJson(200, resource);
      return;
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("kind", "storage#rewriteResponse");
    response.put("totalBytesRewritten", Long.toString(copy.size()));
    response.put("objectSize", Long.toString(copy.size()));
    response.put("done", true);
    response.put("resource", resource);
    exchange.sendJson(200, response);
  }

  private void compose(Exchange exchange) throws IOException {
    JsonNode body = exchange.readJson();
    List<String> sources = new ArrayList<>();
    body.path("sourceObjects").forEach(source -> sources.add(source.path("name").asText()));
    ObjectFields fields = ObjectFieldsJson.of(body.path("destination"));
    exchange.sendObject(
        store.compose(
            exchange.param("bucket"),
            sources,
            exchange.param("object"),
            fields,
            exchange.query().preconditions()));
  }

  private void download(Exchange exchange) throws IOException {
    download(exchange, exchange.param("bucket"), exchange.param("object"));
  }

  /** The object's bytes, ranges and decompressive transcoding as the service serves them. */
  void download(Exchange exchange, String bucket, String name) throws IOException {
    HttpExchange http = exchange.http();
    Query query = exchange.query();
    ObjectMeta meta = store.get(bucket, name, query.preconditions());
    boolean gzipped = "gzip".equalsIgnoreCase(meta.contentEncoding());
    // Decompressive transcoding, as the service does it: a gzip-encoded object goes out
    // decompressed to a client that does not accept gzip (whole: ranges are ignored), unless its
    // Cache-Control says no-transform.
    boolean transcode =
        gzipped
            && !acceptsGzip(http)
            && (meta.cacheControl() == null || !meta.cacheControl().contains("no-transform"));
    long start = 0;
    long end = meta.size() - 1;
    int status = 200;
    String range = transcode ? null : exchange.header("Range");
    if (range != null && meta.size() > 0) {
      Matcher m = RANGE.matcher(range.trim());
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        throw StorageError.rangeNotSatisfiable("Invalid range: " + range);
      }
      if (m.group(1).isEmpty()) {
        start = Math.max(0, meta.size() - Long.parseLong(m.group(2)));
      } else {
        start = Long.parseLong(m.group(1));
        if (!m.group(2).isEmpty()) {
          end = Math.min(end, Long.parseLong(m.group(2)));
        }
      }
      if (start >= meta.size() || start > end) {
        http.getResponseHeaders().set("Content-Range", "bytes */" + meta.size());
        throw StorageError.rangeNotSatisfiable("The requested range cannot be satisfied.");
      }
      status = 206;
      http.getResponseHeaders()
          .set("Content-Range", "bytes " + start + "-" + end + "/" + meta.size());
    }
    var headers = http.getResponseHeaders();
    headers.set("Content-Type", meta.contentType());
    headers.set("X-Goog-Generation", Long.toString(meta.generation()));
    headers.set("X-Goog-Metageneration", Long.toString(meta.metageneration()));
    headers.set("X-Goog-Hash", "crc32c=" + meta.crc32c() + ",md5=" + meta.md5());
    headers.set("X-Goog-Stored-Content-Length", Long.toString(meta.size()));
    headers.set(
        "X-Goog-Stored-Content-Encoding",
        meta.contentEncoding() == null ? "identity" : meta.contentEncoding());
    headers.set("ETag", "\"" + Resources.etag(meta) + "\"");
    headers.set("Accept-Ranges", "bytes");
    long length = meta.size() == 0 ? 0 : end - start + 1;
    if (meta.contentDisposition() != null) {
      headers.set("Content-Disposition", meta.contentDisposition());
    }
    // Signed URLs may ask for other response headers, as the real service allows.
    query.get("response-content-disposition").ifPresent(v -> headers.set("Content-Disposition", v));
    query.get("response-content-type").ifPresent(v -> headers.set("Content-Type", v));
    if (gzipped && !transcode) {
      headers.set("Content-Encoding", "gzip");
    }
    if (http.getRequestMethod().equals("HEAD") || length == 0) {
      http.sendResponseHeaders(status, -1);
      return;
    }
    if (transcode) {
      http.sendResponseHeaders(status, 0); // the decompressed length is unknown: chunked
      try (InputStream in = new GZIPInputStream(store.blobs().open(meta.blobId(), 0, meta.size()));
          OutputStream out = http.getResponseBody()) {
        Streams.copy(in, out);
      }
      return;
    }
    http.sendResponseHeaders(status, length);
    Fault broken = exchange.fault(Fault.Kind.BROKEN_STREAM);
    if (broken != null) {
      OutputStream out = http.getResponseBody();
      try (InputStream in =
          store.blobs().open(meta.blobId(), start, Math.min(length, broken.afterBytes()))) {
        Streams.copy(in, out);
      }
      out.flush();
      throw new Fault.DropConnection();
    }
    try (InputStream in = store.blobs().open(meta.blobId(), start, length);
        OutputStream out = http.getResponseBody()) {
      Streams.copy(in, out);
    }
  }

  private static boolean acceptsGzip(HttpExchange exchange) {
    List<String> accepted = exchange.getRequestHeaders().get("Accept-Encoding");
    return accepted != null
        && accepted.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("gzip"));
  }
}
