package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.storage.Fault;
import dev.cirrus.local.storage.ObjectFields;
import dev.cirrus.local.storage.ObjectMeta;
import dev.cirrus.local.storage.ObjectNames;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.Preconditions;
import dev.cirrus.local.storage.StorageError;
import dev.cirrus.local.storage.UploadSessions;
import dev.cirrus.local.storage.blob.StoredBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Uploads: media and multipart in one request, resumable sessions (start, chunks, status queries,
 * cancel). The sessions themselves live in the store.
 */
final class UploadHandlers {
  private static final String TEMPLATE = "/upload/storage/v1/b/{bucket}/o";
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("^bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)$");
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

  private final ObjectStore store;

  UploadHandlers(ObjectStore store) {
    this.store = store;
  }

  void routes(JsonRoutes routes) {
    routes
        .add("POST", TEMPLATE, this::post)
        .add("PUT", TEMPLATE, this::chunk)
        .add("DELETE", TEMPLATE, this::cancel);
  }

  /** A new upload, or (with {@code upload_id}) a resumable session's chunk sent by POST. */
  private void post(Exchange exchange) throws IOException {
    if (exchange.query().get("upload_id").isPresent()) {
      chunk(exchange);
      return;
    }
    store.bucket(exchange.param("bucket"));
    String type = exchange.query().get("uploadType").orElse("media");
    switch (type) {
      case "media" -> media(exchange);
      case "multipart" -> multipart(exchange);
      case "resumable" -> startResumable(exchange);
      default -> throw StorageError.invalid("Invalid uploadType: " + type);
    }
  }

  private void media(Exchange exchange) throws IOException {
    Query query = exchange.query();
    String name = query.get("name").orElseThrow(() -> StorageError.required("Required: name"));
    String contentType =
        Optional.ofNullable(exchange.header("Content-Type")).orElse("application/octet-stream");
    failAfterUploadIfInjected(exchange);
    ObjectFields fields =
        DeclaredDigests.of(exchange.http(), false)
            .addTo(
                new ObjectFields(
                    contentType,
                    Map.of(),
                    null,
                    null,
                    query.get("contentEncoding").orElse(null),
                    null,
                    null,
                    query.get("predefinedAcl").orElse(null)));
    StoredBlob blob;
    try (InputStream in = exchange.body()) {
      blob = store.blobs().write(in);
    }
    exchange.sendObject(
        store.insert(exchange.param("bucket"), name, blob, fields, query.preconditions()));
  }

  private void multipart(Exchange exchange) throws IOException {
    String contentType = exchange.header("Content-Type");
    Matcher boundary = BOUNDARY.matcher(contentType == null ? "" : contentType);
    if (!boundary.find()) {
      throw StorageError.invalid("multipart upload without a boundary");
    }
    failAfterUploadIfInjected(exchange);
    byte[] body;
    try (InputStream in = exchange.body()) {
      body = in.readAllBytes();
    }
    List<byte[][]> parts = Multipart.split(body, boundary.group(1));
    if (parts.size() != 2) {
      throw StorageError.invalid("a multipart upload has a metadata part and a media part");
    }
    JsonNode metadata = Exchange.parseJson(parts.get(0)[1]);
    String partType = Multipart.header(parts.get(1)[0], "content-type");
    ObjectFields fields =
        DeclaredDigests.of(exchange.http(), false)
            .addTo(ObjectFieldsJson.of(metadata))
            .withContentTypeIfAbsent(partType)
            .withPredefinedAcl(exchange.query().get("predefinedAcl").orElse(null));
    String name = exchange.query().get("name").orElse(metadata.path("name").asText(null));
    StoredBlob blob = store.blobs().write(new ByteArrayInputStream(parts.get(1)[1]));
    exchange.sendObject(
        store.insert(
            exchange.param("bucket"), name, blob, fields, exchange.query().preconditions()));
  }

  /**
   * A retry test's {@code return-NNN-after-NK} on a one-request upload: the service reads that much
   * of the body, then fails.
   */
  private static void failAfterUploadIfInjected(Exchange exchange) throws IOException {
    Fault fault = exchange.fault(Fault.Kind.STATUS_AFTER_UPLOAD);
    if (fault != null) {
      try (InputStream in = exchange.body()) {
        in.readNBytes((int) Math.min(fault.afterBytes(), Integer.MAX_VALUE - 8));
      }
      throw StorageError.injected(fault.status());
    }
  }

  private void startResumable(Exchange exchange) throws IOException {
    JsonNode metadata = exchange.readJsonOrEmpty();
    ObjectFields fields =
        ObjectFieldsJson.of(metadata)
            .withContentTypeIfAbsent(exchange.header("X-Upload-Content-Type"))
            .withPredefinedAcl(exchange.query().get("predefinedAcl").orElse(null));
    String name = exchange.query().get("name").orElse(metadata.path("name").asText(null));
    if (name == null) {
      throw StorageError.required("Required: object name");
    }
    OptionalLong declared = OptionalLong.empty();
    String length = exchange.header("X-Upload-Content-Length");
    if (length != null) {
      try {
        declared = OptionalLong.of(Long.parseLong(length.trim()));
      } catch (NumberFormatException e) {
        throw StorageError.invalid("Invalid X-Upload-Content-Length: " + length);
      }
    }
    exchange
        .http()
        .getResponseHeaders()
        .set(
            "Location",
            openSession(
                exchange.base(),
                exchange.param("bucket"),
                name,
                fields,
                exchange.query().preconditions(),
                declared));
    exchange.sendEmpty(200);
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
    ObjectNames.validate(name);
    String id =
        store
            .sessions()
            .open(
                new UploadSessions.Session(
                    bucket, name, fields, conditions, declared, store.blobs().begin()));
    return base + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id;
  }

  private UploadSessions.Session session(Exchange exchange) {
    store.bucket(exchange.param("bucket"));
    String id =
        exchange.query().get("upload_id").orElseThrow(() -> StorageError.notFound("Not Found"));
    return store
        .sessions()
        .get(id)
        .orElseThrow(() -> StorageError.notFound("No such upload session: " + id));
  }

  private void cancel(Exchange exchange) throws IOException {
    UploadSessions.Session session = session(exchange);
    store.sessions().close(exchange.query().get("upload_id").orElseThrow());
    store.blobs().delete(session.blobId());
    exchange.sendEmpty(499);
  }

  private void chunk(Exchange exchange) throws IOException {
    Optional<ObjectMeta> made =
        exchange.query().get("upload_id").flatMap(id -> store.sessions().finished(id));
    if (made.isPresent()) {
      // A status query, or the final request sent again, after the upload completed: the
      // service answers with the object, so a client that lost the final response is done.
      store.bucket(exchange.param("bucket"));
      try (InputStream in = exchange.body()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      exchange.sendObject(made.get());
      return;
    }
    UploadSessions.Session session = session(exchange);
    String id = exchange.query().get("upload_id").orElseThrow();
    String range = exchange.header("Content-Range");
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
    Fault cut = exchange.fault(Fault.Kind.STATUS_AFTER_UPLOAD);
    Fault drop = exchange.fault(Fault.Kind.BROKEN_FINAL_CHUNK);
    boolean finalChunk = total != null && last >= 0 && last + 1 == total;
    if (drop != null && !finalChunk) {
      drop = null;
    }
    Fault partial = cut != null ? cut : drop;
    long size;
    try (InputStream in = exchange.body()) {
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
      ObjectFields fields = DeclaredDigests.of(exchange.http(), false).addTo(session.fields());
      StoredBlob blob = store.blobs().finish(session.blobId());
      ObjectMeta object =
          store.insert(session.bucket(), session.name(), blob, fields, session.conditions());
      store.sessions().finish(id, object);
      exchange.sendObject(object);
      return;
    }
    if (total != null && size > total) {
      throw StorageError.invalid("more bytes than the Content-Range total");
    }
    if (size > 0) {
      exchange.http().getResponseHeaders().set("Range", "bytes=0-" + (size - 1));
    }
    exchange.sendEmpty(308);
  }

  /** A Content-Range with bytes in it; a status query (a star for the range) has none. */
  private static boolean carriesBytes(String range) {
    return range != null && !range.startsWith("bytes */");
  }

  private long currentSize(UploadSessions.Session session) throws IOException {
    return store.blobs().append(session.blobId(), InputStream.nullInputStream(), 0);
  }
}
