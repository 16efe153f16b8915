package dev.cirrus.shared.admin;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One admin action, as {@code auditLog/{id}} keeps it: written before the action runs (so nothing
 * happens unrecorded), then completed with its outcome.
 *
 * @param actorUid who did it: a user id, or {@code cli:<name>} for the operator's command
 * @param action what was done, for example {@code user.roles.set}
 * @param target what it was done to (a user id, a dead letter's id)
 * @param details the change, for example the roles before and after; never a token or a secret
 * @param outcome {@link #STARTED}, {@link #DONE} or {@link #FAILED}
 */
public record AuditEntry(
    String id,
    String actorUid,
    Optional<String> actorEmail,
    String action,
    String target,
    Map<String, String> details,
    Instant at,
    String requestId,
    String outcome) {
  public static final String STARTED = "started";
  public static final String DONE = "done";
  public static final String FAILED = "failed";

  public AuditEntry {
    actorEmail = actorEmail == null ? Optional.empty() : actorEmail;
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  public AuditEntry withOutcome(String newOutcome) {
    return new AuditEntry(
        id, actorUid, actorEmail, action, target, details, at, requestId, newOutcome);
  }
}
