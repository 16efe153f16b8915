package dev.cirrus.shared.files;

import dev.cirrus.shared.uploads.UploadId;
import java.util.Optional;

/**
 * A file's id. It is always its upload's id ({@link #of}): a redelivered event then writes the same
 * document and the same objects, with no table from uploads to files.
 */
public record FileId(String value) {
  public FileId {
    if (UploadId.parse(value).isEmpty()) {
      throw new IllegalArgumentException("not a file id: " + value);
    }
  }

  /** The id of the file {@code upload} becomes. */
  public static FileId of(UploadId upload) {
    return new FileId(upload.value());
  }

  /** The id a request names, if it has the shape of one. */
  public static Optional<FileId> parse(String raw) {
    return UploadId.parse(raw).map(FileId::of);
  }

  @Override
  public String toString() {
    return value;
  }
}
