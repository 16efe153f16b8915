package dev.cirrus.shared.testing;

import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Ready files for tests that need one without an upload behind it. */
public final class TestFiles {
  private TestFiles() {}

  /** A ready text file of {@code size} bytes owned by {@code ownerUid}, with a fresh id. */
  public static FileRecord ready(String ownerUid, Instant createdAt, long size) {
    String id = UUID.randomUUID().toString().replace("-", "");
    return new FileRecord(
        id,
        ownerUid,
        id,
        "f-" + id + ".txt",
        new FileRecord.Contents("text/plain", size, new FileRecord.Digests("md5", "crc", "sha")),
        FileStatus.READY,
        createdAt,
        createdAt,
        List.of(),
        Optional.empty(),
        List.of(),
        FileRecord.objectPrefix(ownerUid, id) + "original",
        1);
  }
}
