package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileRepository;
import dev.cirrus.shared.files.FileRepositoryContract;
import dev.cirrus.shared.users.Quota;
import java.time.Instant;

class InMemoryFileRepositoryTest extends FileRepositoryContract {
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryFileRepository files = new InMemoryFileRepository(uploads);

  @Override
  protected FileRepository repository() {
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
