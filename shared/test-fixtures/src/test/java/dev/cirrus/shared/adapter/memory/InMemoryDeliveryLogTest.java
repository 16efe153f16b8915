package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.notifications.DeliveryLog;
import dev.cirrus.shared.notifications.DeliveryLogContract;

class InMemoryDeliveryLogTest extends DeliveryLogContract {
  private final InMemoryDeliveryLog log = new InMemoryDeliveryLog();

  @Override
  protected DeliveryLog log() {
    return log;
  }
}
