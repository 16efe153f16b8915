package dev.cirrus.shared.uploads;

/** {@code GET /v1/uploads/{id}}: what a client may know of an upload. */
public record UploadView(String uploadId, String status, String fileId, String reason) {
  public static UploadView of(Upload upload) {
    return new UploadView(
        upload.id(),
        upload.status().wireName(),
        upload.fileId().orElse(null),
        upload.reason().orElse(null));
  }
}
