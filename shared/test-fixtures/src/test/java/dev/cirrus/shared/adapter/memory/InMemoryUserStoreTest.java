package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.users.UserStore;
import dev.cirrus.shared.users.UserStoreContract;

class InMemoryUserStoreTest extends UserStoreContract {
  private final InMemoryUserStore store = new InMemoryUserStore();

  @Override
  protected UserStore store() {
    return store;
  }
}
