package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.files.FileStoreContract;
import dev.cirrus.shared.users.Quota;
import java.time.Instant;

class InMemoryFileStoreTest extends FileStoreContract {
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryFileStore files = new InMemoryFileStore(uploads);

  @Override
  protected FileStore store() {
    return files;
  }

  @Override
  protected void seed(FileRecord file, Quota quota) {
    files.put(file, quota);
  }

  @Override
  protected Quota quota(String ownerUid) {
    return uploads.admission(ownerUid, Quota.empty(0), Instant.EPOCH).quota();
  }
}
