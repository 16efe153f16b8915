package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.ObjectStorageContract;
import java.net.URI;
import java.time.Clock;

class InMemoryObjectStorageTest extends ObjectStorageContract {
  private final InMemoryObjectStorage storage = new InMemoryObjectStorage(Clock.systemUTC());

  @Override
  protected ObjectStorage storage() {
    return storage;
  }

  @Override
  protected String bucket() {
    return "memory-bucket";
  }

  @Override
  protected boolean sendToSession(URI session, byte[] bytes) {
    return storage.upload(session, bytes);
  }
}
