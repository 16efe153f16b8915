package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.admin.AuditLog;
import dev.cirrus.shared.admin.AuditLogContract;

class InMemoryAuditLogTest extends AuditLogContract {
  private final InMemoryAuditLog log = new InMemoryAuditLog();

  @Override
  protected AuditLog log() {
    return log;
  }
}
