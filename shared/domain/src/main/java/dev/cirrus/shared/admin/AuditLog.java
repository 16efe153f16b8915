package dev.cirrus.shared.admin;

import dev.cirrus.shared.paging.Cursor;
import java.util.List;
import java.util.Optional;

/** Port: the audit log, {@code auditLog/{id}}, newest first. */
public interface AuditLog {

  /** Writes the entry; writing the same id again replaces it (a retried write). */
  void record(AuditEntry entry);

  /** Sets the outcome of a recorded entry. */
  void complete(String id, String outcome);

  AuditPage list(int pageSize, Optional<Cursor> after);

  /** One page, newest first, and where the next begins. */
  record AuditPage(List<AuditEntry> entries, Optional<Cursor> next) {
    /** The page cut from {@code fetched}, which holds up to one entry more than {@code size}. */
    public static AuditPage of(List<AuditEntry> fetched, int size) {
      return new AuditPage(
          List.copyOf(fetched.subList(0, Math.min(size, fetched.size()))),
          Cursor.after(fetched, size, AuditEntry::at, AuditEntry::id));
    }
  }
}
