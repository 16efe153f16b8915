package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.instant;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.cloud.firestore.DocumentSnapshot;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.uploads.DailyUploads;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadStatus;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** How an upload, and a user's count of uploads started today, are spelled in Firestore. */
final class UploadDocuments {
  /** On the user document: what they started uploading today ({@link DailyUploads}). */
  static final String DAILY_UPLOADS = "dailyUploads";

  /** When Firestore's TTL policy may delete a finished upload's document. */
  static final String PURGE_AT = "purgeAt";

  private UploadDocuments() {}

  /** The owner's count of uploads started today, from their user document. */
  static DailyUploads dailyOf(DocumentSnapshot owner, Instant now) {
    Object value = owner.exists() ? owner.get(DAILY_UPLOADS) : null;
    if (!(value instanceof Map<?, ?> daily) || !(daily.get("day") instanceof String day)) {
      return DailyUploads.none(now);
    }
    return new DailyUploads(
        LocalDate.parse(day),
        (int) FileDocuments.longValue(daily.get("sessions")),
        FileDocuments.longValue(daily.get("bytes")));
  }

  static Map<String, Object> toDocument(DailyUploads daily) {
    return Map.of(
        "day", daily.day().toString(), "sessions", daily.sessions(), "bytes", daily.bytes());
  }

  /**
   * The fields of a move to {@code status}: a final one also sets {@code purgeAt}, which
   * Firestore's TTL policy reads ({@link Upload#RETENTION}).
   */
  static Map<String, Object> ended(UploadStatus status, Instant now) {
    Map<String, Object> fields = new HashMap<>();
    fields.put("status", status.wireName());
    fields.put("updatedAt", timestamp(now));
    if (status.isFinal()) {
      fields.put(PURGE_AT, timestamp(Upload.purgeAt(now)));
    }
    return fields;
  }

  static Map<String, Object> toDocument(Upload upload) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("ownerUid", upload.ownerUid());
    doc.put("filename", upload.filename());
    doc.put("contentType", upload.contentType());
    doc.put("size", upload.size());
    doc.put("md5", upload.md5().orElse(null));
    doc.put("crc32c", upload.crc32c().orElse(null));
    doc.put("bucket", upload.object().bucket());
    doc.put("objectName", upload.object().name());
    doc.put("session", upload.session().toString());
    doc.put("status", upload.status().wireName());
    doc.put("fileId", upload.fileId().orElse(null));
    doc.put("reason", upload.reason().orElse(null));
    doc.put("createdAt", timestamp(upload.createdAt()));
    doc.put("updatedAt", timestamp(upload.updatedAt()));
    doc.put("expiresAt", timestamp(upload.expiresAt()));
    doc.put(
        "finalizeSentAt", upload.finalizeSentAt().map(FirestoreUserStore::timestamp).orElse(null));
    doc.put("announcedAt", upload.announcedAt().map(FirestoreUserStore::timestamp).orElse(null));
    doc.put("redrives", (long) upload.redrives());
    doc.put("traceparent", upload.traceparent().orElse(null));
    return doc;
  }

  static Upload toUpload(DocumentSnapshot doc) {
    return new Upload(
        doc.getId(),
        doc.getString("ownerUid"),
        doc.getString("filename"),
        doc.getString("contentType"),
        FileDocuments.longValue(doc.get("size")),
        Optional.ofNullable(doc.getString("md5")),
        Optional.ofNullable(doc.getString("crc32c")),
        new ObjectRef(doc.getString("bucket"), doc.getString("objectName")),
        URI.create(doc.getString("session")),
        UploadStatus.parse(doc.getString("status")),
        Optional.ofNullable(doc.getString("fileId")),
        Optional.ofNullable(doc.getString("reason")),
        instant(doc.getTimestamp("createdAt")),
        instant(doc.getTimestamp("updatedAt")),
        instant(doc.getTimestamp("expiresAt")),
        Optional.ofNullable(doc.getTimestamp("finalizeSentAt")).map(FirestoreUserStore::instant),
        Optional.ofNullable(doc.getTimestamp("announcedAt")).map(FirestoreUserStore::instant),
        (int) FileDocuments.longValue(doc.get("redrives")),
        Optional.ofNullable(doc.getString("traceparent")));
  }
}
