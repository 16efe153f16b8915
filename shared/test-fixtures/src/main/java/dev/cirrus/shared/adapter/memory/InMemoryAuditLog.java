package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.admin.AuditEntry;
import dev.cirrus.shared.admin.AuditLog;
import dev.cirrus.shared.paging.Cursor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AuditLog} in memory, held to the same contract test as Firestore's. */
public final class InMemoryAuditLog implements AuditLog {
  private final Map<String, AuditEntry> entries = new HashMap<>();

  @Override
  public synchronized void record(AuditEntry entry) {
    entries.put(entry.id(), entry);
  }

  @Override
  public synchronized void complete(String id, String outcome) {
    AuditEntry entry = entries.get(id);
    if (entry == null) {
      throw new IllegalStateException("no audit entry " + id);
    }
    entries.put(id, entry.withOutcome(outcome));
  }

  @Override
  public synchronized AuditPage list(int pageSize, Optional<Cursor> after) {
    List<AuditEntry> all = new ArrayList<>(entries.values());
    all.sort(Comparator.comparing(AuditEntry::at).thenComparing(AuditEntry::id).reversed());
    List<AuditEntry> fetched = new ArrayList<>();
    for (AuditEntry e : all) {
      if (after.isPresent()) {
        int byTime = e.at().compareTo(after.get().createdAt());
        if (byTime > 0 || (byTime == 0 && e.id().compareTo(after.get().id()) >= 0)) {
          continue;
        }
      }
      fetched.add(e);
      if (fetched.size() > pageSize) {
        break;
      }
    }
    return AuditPage.of(fetched, pageSize);
  }

  /** Every entry, newest first: what a test inspects. */
  public synchronized List<AuditEntry> all() {
    return list(Integer.MAX_VALUE - 1, Optional.empty()).entries();
  }
}
