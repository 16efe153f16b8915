package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.deadletters.DeadLetterStore;
import dev.cirrus.shared.deadletters.DeadLetterStoreContract;

class InMemoryDeadLetterStoreTest extends DeadLetterStoreContract {
  private final InMemoryDeadLetterStore store = new InMemoryDeadLetterStore();

  @Override
  protected DeadLetterStore store() {
    return store;
  }
}
