package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.notifications.NotificationStore;
import dev.cirrus.shared.notifications.NotificationStoreContract;

class InMemoryNotificationStoreTest extends NotificationStoreContract {
  private final InMemoryNotificationStore store = new InMemoryNotificationStore();

  @Override
  protected NotificationStore store() {
    return store;
  }
}
