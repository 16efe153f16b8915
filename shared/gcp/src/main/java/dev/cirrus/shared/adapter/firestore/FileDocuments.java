package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.instant;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStatus;
import dev.cirrus.shared.files.ImageInfo;
import dev.cirrus.shared.files.Thumbnail;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How a {@link FileRecord} is laid out in {@code files/{id}}. */
final class FileDocuments {

  private FileDocuments() {}

  static Map<String, Object> toDocument(FileRecord file) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("ownerUid", file.ownerUid());
    doc.put("uploadId", file.uploadId());
    doc.put("filename", file.filename());
    doc.put("contentType", file.contentType());
    doc.put("size", file.size());
    doc.put("md5", file.md5());
    doc.put("crc32c", file.crc32c());
    doc.put("sha256", file.sha256());
    doc.put("status", file.status().wireName());
    doc.put("createdAt", timestamp(file.createdAt()));
    doc.put("updatedAt", timestamp(file.updatedAt()));
    doc.put("tags", file.tags());
    file.image()
        .ifPresent(
            image -> {
              Map<String, Object> map = new HashMap<>();
              map.put("width", image.width());
              map.put("height", image.height());
              map.put("format", image.format());
              map.put("orientation", image.orientation());
              map.put("takenAt", image.takenAt() == null ? null : timestamp(image.takenAt()));
              map.put("cameraMake", image.cameraMake());
              map.put("cameraModel", image.cameraModel());
              doc.put("image", map);
            });
    List<Map<String, Object>> thumbs = new ArrayList<>();
    for (Thumbnail t : file.thumbnails()) {
      thumbs.add(
          Map.of(
              "variant", t.variant(),
              "width", t.width(),
              "height", t.height(),
              "contentType", t.contentType(),
              "objectName", t.objectName()));
    }
    doc.put("thumbnails", thumbs);
    doc.put("originalObject", file.originalObject());
    doc.put("version", file.version());
    return doc;
  }

  @SuppressWarnings("unchecked")
  static FileRecord toFile(DocumentSnapshot doc) {
    Map<String, Object> image = (Map<String, Object>) doc.get("image");
    List<Map<String, Object>> thumbs =
        (List<Map<String, Object>>) Optional.ofNullable(doc.get("thumbnails")).orElse(List.of());
    List<String> tags = (List<String>) Optional.ofNullable(doc.get("tags")).orElse(List.of());
    return new FileRecord(
        doc.getId(),
        doc.getString("ownerUid"),
        doc.getString("uploadId"),
        doc.getString("filename"),
        new FileRecord.Contents(
            doc.getString("contentType"),
            longValue(doc.get("size")),
            new FileRecord.Digests(
                doc.getString("md5"), doc.getString("crc32c"), doc.getString("sha256"))),
        FileStatus.parse(doc.getString("status")).orElse(FileStatus.READY),
        instant(doc.getTimestamp("createdAt")),
        instant(doc.getTimestamp("updatedAt")),
        tags,
        Optional.ofNullable(image)
            .map(
                m ->
                    new ImageInfo(
                        (int) longValue(m.get("width")),
                        (int) longValue(m.get("height")),
                        (String) m.get("format"),
                        (int) longValue(m.get("orientation")),
                        m.get("takenAt") instanceof Timestamp t ? instant(t) : null,
                        (String) m.get("cameraMake"),
                        (String) m.get("cameraModel"))),
        thumbs.stream()
            .map(
                t ->
                    new Thumbnail(
                        (String) t.get("variant"),
                        (int) longValue(t.get("width")),
                        (int) longValue(t.get("height")),
                        (String) t.get("contentType"),
                        (String) t.get("objectName")))
            .toList(),
        doc.getString("originalObject"),
        longValue(doc.get("version")));
  }

  static long longValue(Object value) {
    return value instanceof Number n ? n.longValue() : 0L;
  }
}
