package dev.cirrus.shared.files;

import java.time.Instant;
import java.util.List;

/** The File resource of the API (infra/openapi.yaml), as clients see it. */
public record FileView(
    String id,
    String filename,
    String contentType,
    long size,
    String md5,
    String crc32c,
    String sha256,
    String status,
    Instant createdAt,
    Instant updatedAt,
    List<String> tags,
    ImageInfo image,
    List<ThumbnailView> thumbnails) {

  /** A thumbnail without its storage address. */
  public record ThumbnailView(String variant, int width, int height, String contentType) {}

  public static FileView of(FileRecord file) {
    return new FileView(
        file.id(),
        file.filename(),
        file.contentType(),
        file.size(),
        file.md5(),
        file.crc32c(),
        file.sha256(),
        file.status().wireName(),
        file.createdAt(),
        file.updatedAt(),
        file.tags(),
        file.image().orElse(null),
        file.thumbnails().stream()
            .map(t -> new ThumbnailView(t.variant(), t.width(), t.height(), t.contentType()))
            .toList());
  }
}
