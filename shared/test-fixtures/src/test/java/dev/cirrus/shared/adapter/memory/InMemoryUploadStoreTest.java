package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.uploads.UploadStoreContract;

class InMemoryUploadStoreTest extends UploadStoreContract {
  private final InMemoryUploadStore store = new InMemoryUploadStore();

  @Override
  protected UploadStore store() {
    return store;
  }
}
