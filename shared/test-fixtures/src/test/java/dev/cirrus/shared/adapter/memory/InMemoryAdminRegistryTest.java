package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.admin.AdminRegistry;
import dev.cirrus.shared.admin.AdminRegistryContract;

class InMemoryAdminRegistryTest extends AdminRegistryContract {
  private final InMemoryAdminRegistry registry = new InMemoryAdminRegistry();

  @Override
  protected AdminRegistry registry() {
    return registry;
  }
}
