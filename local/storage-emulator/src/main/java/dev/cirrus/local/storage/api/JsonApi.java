package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.storage.Fault;
import dev.cirrus.local.storage.Faults;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.ObjectFields;
import dev.cirrus.local.storage.ObjectMeta;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.Preconditions;
import dev.cirrus.local.storage.StorageError;
import dev.cirrus.local.storage.blob.StoredBlob;
import dev.cirrus.local.storage.blob.Streams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Cloud Storage's JSON API over {@link ObjectStore}: buckets, media/multipart/resumable uploads,
 * metadata, downloads with ranges, listing, deletion. Routes also answer without the {@code
 * /storage/v1} prefix, where the Node client sends them when {@code STORAGE_EMULATOR_HOST} is set.
 * Every failure becomes the real service's JSON error body here.
 */
public final class JsonApi {
  private static final Pattern UPLOAD = Pattern.compile("^/upload/storage/v1/b/([^/]+)/o$");
  private static final Pattern DOWNLOAD =
      Pattern.compile("^/download/storage/v1/b/([^/]+)/o/(.+)$");
  private static final Pattern BUCKETS = Pattern.compile("^(?:/storage/v1)?/b$");
  private static final Pattern BUCKET = Pattern.compile("^(?:/storage/v1)?/b/([^/]+)$");
  private static final Pattern OBJECTS = Pattern.compile("^(?:/storage/v1)?/b/([^/]+)/o$");
  private static final Pattern OBJECT = Pattern.compile("^(?:/storage/v1)?/b/([^/]+)/o/(.+)$");
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("^bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)$");

  private static final Pattern REWRITE =
      Pattern.compile(
          "^(?:/storage/v1)?/b/([^/]+)/o/([^/]+)/(rewriteTo|copyTo)/b/([^/]+)/o/([^/]+)$");
  private static final Pattern COMPOSE =
      Pattern.compile("^(?:/storage/v1)?/b/([^/]+)/o/([^/]+)/compose$");
  private static final Pattern NOTIFICATIONS =
      Pattern.compile("^(?:/storage/v1)?/b/([^/]+)/notificationConfigs$");
  private static final Pattern NOTIFICATION =
      Pattern.compile("^(?:/storage/v1)?/b/([^/]+)/notificationConfigs/([^/]+)$");

  private final ObjectStore store;
  private final Notifications notifications;
  private final Faults faults;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();

  public JsonApi(ObjectStore store, Notifications notifications, Faults faults) {
    this.store = store;
    this.notifications = notifications;
    this.faults = faults;
  }

  /** A resumable upload in progress. */
  private record UploadSession(
      String bucket,
      String name,
      ObjectFields fields,
      Preconditions conditions,
      OptionalLong declaredLength,
      String blobId) {}

  /**
   * The method the client means: the Google HTTP client sends PATCH as POST with {@code
   * X-HTTP-Method-Override}, since HttpURLConnection has no PATCH.
   */
  public static String effectiveMethod(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    return override != null && method.equals("POST")
        ? override.trim().toUpperCase(Locale.ROOT)
        : method;
  }

  /** The fault a retry test injected into this exchange, if any. */
  private Fault fault(HttpExchange exchange, Fault.Kind kind) {
    return faults.get(exchange, kind);
  }

  /** Serves one exchange; answers errors in the service's JSON shape. */
  public void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (StorageError e) {
      closeIfBodyMayBeUnread(exchange);
      sendJson(exchange, e.status(), Resources.error(e.status(), e.reason(), e.getMessage()));
    }
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

  private void route(HttpExchange exchange) throws IOException {
    String method = effectiveMethod(exchange);
    String path = exchange.getRequestURI().getRawPath();
    Query query = new Query(exchange.getRequestURI().getRawQuery());
    Matcher m;
    if ((m = UPLOAD.matcher(path)).matches()) {
      upload(exchange, method, decode(m.group(1)), query);
    } else if ((m = DOWNLOAD.matcher(path)).matches() && method.equals("GET")) {
      download(exchange, decode(m.group(1)), decode(m.group(2)), query);
    } else if ((m = REWRITE.matcher(path)).matches() && method.equals("POST")) {
      rewrite(exchange, m, query);
    } else if ((m = COMPOSE.matcher(path)).matches() && method.equals("POST")) {
      compose(exchange, decode(m.group(1)), decode(m.group(2)), query);
    } else if ((m = NOTIFICATIONS.matcher(path)).matches()) {
      notifications(exchange, method, decode(m.group(1)));
    } else if ((m = NOTIFICATION.matcher(path)).matches()) {
      notification(exchange, method, decode(m.group(1)), decode(m.group(2)));
    } else if (BUCKETS.matcher(path).matches()) {
      buckets(exchange, method);
    } else if ((m = BUCKET.matcher(path)).matches()) {
      bucket(exchange, method, decode(m.group(1)));
    } else if ((m = OBJECTS.matcher(path)).matches() && method.equals("GET")) {
      list(exchange, decode(m.group(1)), query);
    } else if ((m = OBJECT.matcher(path)).matches()) {
      object(exchange, method, decode(m.group(1)), decode(m.group(2)), query);
    } else {
      throw StorageError.notFound("Not Found: " + method + " " + path);
    }
  }

  private void buckets(HttpExchange exchange, String method) throws IOException {
    if (method.equals("POST")) {
      JsonNode body = readJson(exchange);
      String name = body.path("name").asText(null);
      sendJson(exchange, 200, Resources.bucket(store.createBucket(name), base(exchange)));
    } else if (method.equals("GET")) {
      List<Object> items = new ArrayList<>();
      store.buckets().forEach(b -> items.add(Resources.bucket(b, base(exchange))));
      sendJson(exchange, 200, Map.of("kind", "storage#buckets", "items", items));
    } else {
      throw StorageError.notFound("Not Found");
    }
  }

  private void bucket(HttpExchange exchange, String method, String name) throws IOException {
    switch (method) {
      case "GET" -> sendJson(exchange, 200, Resources.bucket(store.bucket(name), base(exchange)));
      case "DELETE" -> {
        store.deleteBucket(name);
        notifications.dropBucket(name);
        sendEmpty(exchange, 204);
      }
      default -> throw StorageError.notFound("Not Found");
    }
  }

  /** rewriteTo and copyTo: one call does it all here, so rewrite answers done at once. */
  private void rewrite(HttpExchange exchange, Matcher m, Query query) throws IOException {
    String sourceBucket = decode(m.group(1));
    String sourceName = decode(m.group(2));
    Preconditions sourceConditions =
        new Preconditions(
            query.number("sourceGeneration"),
            query.number("ifSourceGenerationMatch"),
            query.number("ifSourceGenerationNotMatch"),
            query.number("ifSourceMetagenerationMatch"),
            query.number("ifSourceMetagenerationNotMatch"));
    JsonNode body = readJsonOrEmpty(exchange);
    ObjectMeta copy =
        store.copy(
            sourceBucket,
            sourceName,
            sourceConditions,
            decode(m.group(4)),
            decode(m.group(5)),
            fields(body),
            query.preconditions());
    Map<String, Object> resource = Resources.object(copy, base(exchange));
    if (m.group(3).equals("copyTo")) {
      sendJson(exchange, 200, resource);
      return;
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("kind", "storage#rewriteResponse");
    response.put("totalBytesRewritten", Long.toString(copy.size()));
    response.put("objectSize", Long.toString(copy.size()));
    response.put("done", true);
    response.put("resource", resource);
    sendJson(exchange, 200, response);
  }

  private void compose(HttpExchange exchange, String bucket, String name, Query query)
      throws IOException {
    JsonNode body = readJson(exchange);
    List<String> sources = new ArrayList<>();
    body.path("sourceObjects").forEach(source -> sources.add(source.path("name").asText()));
    ObjectFields fields = fields(body.path("destination"));
    sendObject(exchange, store.compose(bucket, sources, name, fields, query.preconditions()));
  }

  private void notifications(HttpExchange exchange, String method, String bucket)
      throws IOException {
    store.bucket(bucket);
    if (method.equals("POST")) {
      JsonNode body = readJson(exchange);
      List<String> types = new ArrayList<>();
      body.path("event_types").forEach(t -> types.add(t.asText()));
      Map<String, String> custom = new HashMap<>();
      body.path("custom_attributes")
          .properties()
          .forEach(e -> custom.put(e.getKey(), e.getValue().asText()));
      Notifications.Config config =
          notifications.create(
              bucket,
              text(body, "topic"),
              text(body, "payload_format"),
              types,
              custom,
              text(body, "object_name_prefix"));
      sendJson(exchange, 200, Resources.notification(config, base(exchange)));
    } else if (method.equals("GET")) {
      List<Object> items = new ArrayList<>();
      notifications.list(bucket).forEach(c -> items.add(Resources.notification(c, base(exchange))));
      sendJson(exchange, 200, Map.of("kind", "storage#notifications", "items", items));
    } else {
      throw StorageError.notFound("Not Found");
    }
  }

  private void notification(HttpExchange exchange, String method, String bucket, String id)
      throws IOException {
    store.bucket(bucket);
    switch (method) {
      case "GET" ->
          sendJson(
              exchange, 200, Resources.notification(notifications.get(bucket, id), base(exchange)));
      case "DELETE" -> {
        notifications.delete(bucket, id);
        sendEmpty(exchange, 204);
      }
      default -> throw StorageError.notFound("Not Found");
    }
  }

  private void list(HttpExchange exchange, String bucket, Query query) throws IOException {
    int max = (int) query.number("maxResults").orElse(1000);
    if (max < 1) {
      throw StorageError.invalid("Invalid value for maxResults");
    }
    ObjectStore.Listing listing =
        store.list(
            bucket,
            query.get("prefix").orElse(null),
            query.get("delimiter").orElse(null),
            query.get("pageToken").orElse(null),
            Math.min(max, 1000));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#objects");
    List<Object> items = new ArrayList<>();
    listing.items().forEach(o -> items.add(Resources.object(o, base(exchange))));
    body.put("items", items);
    if (!listing.prefixes().isEmpty()) {
      body.put("prefixes", listing.prefixes());
    }
    if (listing.nextPageToken() != null) {
      body.put("nextPageToken", listing.nextPageToken());
    }
    sendJson(exchange, 200, body);
  }

  private void object(HttpExchange exchange, String method, String bucket, String name, Query query)
      throws IOException {
    Preconditions conditions = query.preconditions();
    switch (method) {
      case "GET" -> {
        if (query.get("alt").orElse("json").equals("media")) {
          download(exchange, bucket, name, query);
        } else {
          sendJson(
              exchange, 200, Resources.object(store.get(bucket, name, conditions), base(exchange)));
        }
      }
      case "DELETE" -> {
        store.delete(bucket, name, conditions);
        sendEmpty(exchange, 204);
      }
      case "PATCH", "PUT" -> {
        JsonNode body = readJson(exchange);
        ObjectMeta current = store.get(bucket, name, Preconditions.NONE);
        ObjectFields fields = method.equals("PUT") ? fields(body) : merge(current, body);
        sendJson(
            exchange,
            200,
            Resources.object(store.update(bucket, name, fields, conditions), base(exchange)));
      }
      default -> throw StorageError.notFound("Not Found");
    }
  }

  private void upload(HttpExchange exchange, String method, String bucket, Query query)
      throws IOException {
    store.bucket(bucket);
    Optional<String> uploadId = query.get("upload_id");
    if (uploadId.isPresent()) {
      UploadSession session = sessions.get(uploadId.get());
      if (session == null) {
        throw StorageError.notFound("No such upload session: " + uploadId.get());
      }
      if (method.equals("DELETE")) {
        sessions.remove(uploadId.get());
        store.blobs().delete(session.blobId());
        sendEmpty(exchange, 499);
        return;
      }
      if (!method.equals("PUT") && !method.equals("POST")) {
        throw StorageError.notFound("Not Found");
      }
      resumableChunk(exchange, uploadId.get(), session);
      return;
    }
    if (!method.equals("POST")) {
      throw StorageError.notFound("Not Found");
    }
    String type = query.get("uploadType").orElse("media");
    switch (type) {
      case "media" -> {
        String name = query.get("name").orElseThrow(() -> StorageError.required("Required: name"));
        String contentType =
            Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                .orElse("application/octet-stream");
        Fault fault = fault(exchange, Fault.Kind.STATUS_AFTER_UPLOAD);
        if (fault != null) {
          try (InputStream in = body(exchange)) {
            in.readNBytes((int) Math.min(fault.afterBytes(), Integer.MAX_VALUE - 8));
          }
          throw StorageError.injected(fault.status());
        }
        ObjectFields fields =
            DeclaredDigests.of(exchange, false)
                .addTo(
                    new ObjectFields(
                        contentType,
                        Map.of(),
                        null,
                        null,
                        query.get("contentEncoding").orElse(null),
                        null,
                        null));
        StoredBlob blob;
        try (InputStream in = body(exchange)) {
          blob = store.blobs().write(in);
        }
        sendObject(exchange, store.insert(bucket, name, blob, fields, query.preconditions()));
      }
      case "multipart" -> multipart(exchange, bucket, query);
      case "resumable" -> startResumable(exchange, bucket, query);
      default -> throw StorageError.invalid("Invalid uploadType: " + type);
    }
  }

  private void multipart(HttpExchange exchange, String bucket, Query query) throws IOException {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    Matcher boundary =
        Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType == null ? "" : contentType);
    if (!boundary.find()) {
      throw StorageError.invalid("multipart upload without a boundary");
    }
    Fault fault = fault(exchange, Fault.Kind.STATUS_AFTER_UPLOAD);
    if (fault != null) {
      try (InputStream in = body(exchange)) {
        in.readNBytes((int) Math.min(fault.afterBytes(), Integer.MAX_VALUE - 8));
      }
      throw StorageError.injected(fault.status());
    }
    byte[] body;
    try (InputStream in = body(exchange)) {
      body = in.readAllBytes();
    }
    List<byte[][]> parts = Multipart.split(body, boundary.group(1));
    if (parts.size() != 2) {
      throw StorageError.invalid("a multipart upload has a metadata part and a media part");
    }
    JsonNode metadata = parseJson(parts.get(0)[1]);
    String partType = Multipart.header(parts.get(1)[0], "content-type");
    ObjectFields fields =
        DeclaredDigests.of(exchange, false)
            .addTo(fields(metadata))
            .withContentTypeIfAbsent(partType);
    String name = query.get("name").orElse(metadata.path("name").asText(null));
    StoredBlob blob = store.blobs().write(new ByteArrayInputStream(parts.get(1)[1]));
    sendObject(exchange, store.insert(bucket, name, blob, fields, query.preconditions()));
  }

  private void startResumable(HttpExchange exchange, String bucket, Query query)
      throws IOException {
    JsonNode metadata = readJsonOrEmpty(exchange);
    ObjectFields fields = fields(metadata);
    String uploadType = exchange.getRequestHeaders().getFirst("X-Upload-Content-Type");
    fields = fields.withContentTypeIfAbsent(uploadType);
    String name = query.get("name").orElse(metadata.path("name").asText(null));
    if (name == null) {
      throw StorageError.required("Required: object name");
    }
    OptionalLong declared = OptionalLong.empty();
    String length = exchange.getRequestHeaders().getFirst("X-Upload-Content-Length");
    if (length != null) {
      try {
        declared = OptionalLong.of(Long.parseLong(length.trim()));
      } catch (NumberFormatException e) {
        throw StorageError.invalid("Invalid X-Upload-Content-Length: " + length);
      }
    }
    exchange
        .getResponseHeaders()
        .set(
            "Location",
            openSession(base(exchange), bucket, name, fields, query.preconditions(), declared));
    sendEmpty(exchange, 200);
  }

  /** Opens a resumable session and returns the URL the client PUTs its bytes to. */
  String openSession(
      String base,
      String bucket,
      String name,
      ObjectFields fields,
      Preconditions conditions,
      OptionalLong declared)
      throws IOException {
    ObjectStore.validateObjectName(name);
    String id = UUID.randomUUID().toString().replace("-", "");
    sessions.put(
        id, new UploadSession(bucket, name, fields, conditions, declared, store.blobs().begin()));
    return base + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id;
  }

  private void resumableChunk(HttpExchange exchange, String id, UploadSession session)
      throws IOException {
    String range = exchange.getRequestHeaders().getFirst("Content-Range");
    long received = currentSize(session);
    long first = received;
    long last = -1;
    Long total = null;
    if (range != null) {
      Matcher m = CONTENT_RANGE.matcher(range.trim());
      if (!m.matches()) {
        throw StorageError.invalid("Invalid Content-Range: " + range);
      }
      if (m.group(1) != null) {
        first = Long.parseLong(m.group(1));
        last = Long.parseLong(m.group(2));
        if (last < first) {
          throw StorageError.invalid("Invalid Content-Range: " + range);
        }
      }
      if (!m.group(3).equals("*")) {
        total = Long.parseLong(m.group(3));
      }
    }
    if (carriesBytes(range) && first != received) {
      // Bytes the session already has, or a gap: the client must ask for the status first.
      throw StorageError.invalid(
          "Content-Range starts at " + first + " but the session has " + received + " bytes");
    }
    long chunk = last >= 0 ? last - first + 1 : Long.MAX_VALUE;
    long limit =
        session.declaredLength().isPresent()
            ? session.declaredLength().getAsLong() - received
            : Long.MAX_VALUE;
    if (chunk != Long.MAX_VALUE && chunk > limit) {
      throw StorageError.invalid("Upload exceeds the declared X-Upload-Content-Length");
    }
    Fault cut = fault(exchange, Fault.Kind.STATUS_AFTER_UPLOAD);
    Fault drop = fault(exchange, Fault.Kind.BROKEN_FINAL_CHUNK);
    boolean finalChunk = total != null && last >= 0 && last + 1 == total;
    if (drop != null && !finalChunk) {
      drop = null;
    }
    Fault partial = cut != null ? cut : drop;
    long size;
    try (InputStream in = body(exchange)) {
      // An injected fault keeps the first bytes, as a real dropped upload would.
      InputStream taken =
          partial == null
              ? in
              : new ByteArrayInputStream(
                  in.readNBytes(
                      (int)
                          Math.min(partial.afterBytes(), Math.min(chunk, Integer.MAX_VALUE - 8))));
      size = store.blobs().append(session.blobId(), taken, Math.min(chunk, limit));
    } catch (IOException e) {
      throw StorageError.invalid("Upload exceeds its declared length");
    }
    if (cut != null) {
      throw StorageError.injected(cut.status());
    }
    if (drop != null) {
      throw new Fault.DropConnection();
    }
    if (range == null) {
      total = size;
    }
    if (total != null
        && session.declaredLength().isPresent()
        && total != session.declaredLength().getAsLong()) {
      throw StorageError.invalid("Content-Range total differs from X-Upload-Content-Length");
    }
    if (total != null && size == total) {
      // The last request may declare the whole object's digests (X-Goog-Hash).
      ObjectFields fields = DeclaredDigests.of(exchange, false).addTo(session.fields());
      sessions.remove(id);
      StoredBlob blob = store.blobs().finish(session.blobId());
      sendObject(
          exchange,
          store.insert(session.bucket(), session.name(), blob, fields, session.conditions()));
      return;
    }
    if (total != null && size > total) {
      throw StorageError.invalid("more bytes than the Content-Range total");
    }
    if (size > 0) {
      exchange.getResponseHeaders().set("Range", "bytes=0-" + (size - 1));
    }
    sendEmpty(exchange, 308);
  }

  /** A Content-Range with bytes in it; a status query (a star for the range) has none. */
  private static boolean carriesBytes(String range) {
    return range != null && !range.startsWith("bytes */");
  }

  private long currentSize(UploadSession session) throws IOException {
    return store.blobs().append(session.blobId(), InputStream.nullInputStream(), 0);
  }

  void download(HttpExchange exchange, String bucket, String name, Query query) throws IOException {
    ObjectMeta meta = store.get(bucket, name, query.preconditions());
    boolean gzipped = "gzip".equalsIgnoreCase(meta.contentEncoding());
    // Decompressive transcoding, as the service does it: a gzip-encoded object goes out
    // decompressed to a client that does not accept gzip (whole: ranges are ignored), unless its
    // Cache-Control says no-transform.
    boolean transcode =
        gzipped
            && !acceptsGzip(exchange)
            && (meta.cacheControl() == null || !meta.cacheControl().contains("no-transform"));
    long start = 0;
    long end = meta.size() - 1;
    int status = 200;
    String range = transcode ? null : exchange.getRequestHeaders().getFirst("Range");
    if (range != null && meta.size() > 0) {
      Matcher m = Pattern.compile("^bytes=(\\d*)-(\\d*)$").matcher(range.trim());
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
        exchange.getResponseHeaders().set("Content-Range", "bytes */" + meta.size());
        throw StorageError.rangeNotSatisfiable("The requested range cannot be satisfied.");
      }
      status = 206;
      exchange
          .getResponseHeaders()
          .set("Content-Range", "bytes " + start + "-" + end + "/" + meta.size());
    }
    var headers = exchange.getResponseHeaders();
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
    if (exchange.getRequestMethod().equals("HEAD") || length == 0) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    if (transcode) {
      exchange.sendResponseHeaders(status, 0); // the decompressed length is unknown: chunked
      try (InputStream in = new GZIPInputStream(store.blobs().open(meta.blobId(), 0, meta.size()));
          OutputStream out = exchange.getResponseBody()) {
        Streams.copy(in, out);
      }
      return;
    }
    exchange.sendResponseHeaders(status, length);
    Fault broken = fault(exchange, Fault.Kind.BROKEN_STREAM);
    if (broken != null) {
      OutputStream out = exchange.getResponseBody();
      try (InputStream in =
          store.blobs().open(meta.blobId(), start, Math.min(length, broken.afterBytes()))) {
        Streams.copy(in, out);
      }
      out.flush();
      throw new Fault.DropConnection();
    }
    try (InputStream in = store.blobs().open(meta.blobId(), start, length);
        OutputStream out = exchange.getResponseBody()) {
      Streams.copy(in, out);
    }
  }

  private static boolean acceptsGzip(HttpExchange exchange) {
    List<String> accepted = exchange.getRequestHeaders().get("Accept-Encoding");
    return accepted != null
        && accepted.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("gzip"));
  }

  private ObjectFields fields(JsonNode body) {
    Map<String, String> metadata = new HashMap<>();
    body.path("metadata")
        .properties()
        .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
    return new ObjectFields(
        text(body, "contentType"),
        metadata,
        text(body, "contentDisposition"),
        text(body, "cacheControl"),
        text(body, "contentEncoding"),
        text(body, "md5Hash"),
        text(body, "crc32c"));
  }

  private ObjectFields merge(ObjectMeta current, JsonNode patch) {
    Map<String, String> metadata = new HashMap<>(current.metadata());
    if (patch.has("metadata")) {
      if (patch.get("metadata").isNull()) {
        metadata.clear();
      } else {
        patch
            .get("metadata")
            .properties()
            .forEach(
                e -> {
                  if (e.getValue().isNull()) {
                    metadata.remove(e.getKey());
                  } else {
                    metadata.put(e.getKey(), e.getValue().asText());
                  }
                });
      }
    }
    return new ObjectFields(
        patch.has("contentType") ? text(patch, "contentType") : current.contentType(),
        metadata,
        patch.has("contentDisposition")
            ? text(patch, "contentDisposition")
            : current.contentDisposition(),
        patch.has("cacheControl") ? text(patch, "cacheControl") : current.cacheControl(),
        patch.has("contentEncoding") ? text(patch, "contentEncoding") : current.contentEncoding(),
        null,
        null);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private JsonNode readJson(HttpExchange exchange) throws IOException {
    return parseJson(readBody(exchange));
  }

  private JsonNode readJsonOrEmpty(HttpExchange exchange) throws IOException {
    byte[] body = readBody(exchange);
    return body.length == 0 ? json.createObjectNode() : parseJson(body);
  }

  /** A metadata body: small, so read whole, at most 1 MiB. */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = body(exchange)) {
      return in.readNBytes(1024 * 1024);
    }
  }

  private JsonNode parseJson(byte[] body) {
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject()) {
        throw StorageError.invalid("The request body must be a JSON object.");
      }
      return node;
    } catch (IOException e) {
      throw StorageError.invalid("Parse Error: the request body is not valid JSON.");
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

  private void sendObject(HttpExchange exchange, ObjectMeta meta) throws IOException {
    sendJson(exchange, 200, Resources.object(meta, base(exchange)));
  }

  private void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendEmpty(HttpExchange exchange, int status) throws IOException {
    exchange.getResponseHeaders().set("Content-Length", "0");
    exchange.sendResponseHeaders(status, -1);
  }

  static String base(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    return "http://" + (host == null ? "127.0.0.1" : host);
  }

  /** Path segments are percent-encoded; unlike query values, + is a plus. */
  private static String decode(String segment) {
    return Query.decode(segment);
  }
}
