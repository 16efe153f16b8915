package dev.cirrus.shared.admin;

import dev.cirrus.shared.paging.Cursor;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs an admin action inside its audit entry: recorded as started before the action (if the log
 * cannot be written, the action does not run), then completed as done or failed.
 */
public final class AuditTrail {
  private final AuditLog log;
  private final Clock clock;
  private final Supplier<String> ids;

  public AuditTrail(AuditLog log, Clock clock, Supplier<String> ids) {
    this.log = log;
    this.clock = clock;
    this.ids = ids;
  }

  /** Runs {@code action} for {@code actor}, recorded; its result or its failure is returned. */
  public <T> T run(
      Actor actor, String action, String target, Map<String, String> details, Supplier<T> work) {
    return run(
        actor.principal().uid(),
        actor.principal().email(),
        actor.requestId(),
        action,
        target,
        details,
        work);
  }

  /** The same for a doer that is not a signed-in user (the operator's command). */
  public <T> T run(
      String actorUid,
      Optional<String> actorEmail,
      String requestId,
      String action,
      String target,
      Map<String, String> details,
      Supplier<T> work) {
    AuditEntry entry =
        new AuditEntry(
            ids.get(),
            actorUid,
            actorEmail,
            action,
            target,
            details,
            clock.instant(),
            requestId,
            AuditEntry.STARTED);
    log.record(entry);
    T result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      try {
        log.complete(entry.id(), AuditEntry.FAILED);
      } catch (RuntimeException unrecorded) {
        // The entry stays "started": the action's own failure is the one to report.
        e.addSuppressed(unrecorded);
      }
      throw e;
    }
    log.complete(entry.id(), AuditEntry.DONE);
    return result;
  }

  public AuditLog.AuditPage list(int pageSize, Optional<Cursor> after) {
    return log.list(pageSize, after);
  }
}
