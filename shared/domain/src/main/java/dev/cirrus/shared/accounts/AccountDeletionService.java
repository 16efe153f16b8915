package dev.cirrus.shared.accounts;

import dev.cirrus.shared.admin.Actor;
import dev.cirrus.shared.admin.AuditTrail;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.users.UserCache;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Starting an account's deletion and saying how far it is: by the user ({@code DELETE /v1/me}), an
 * admin ({@code POST /v1/admin/users/{uid}:delete}, in the audit log) or the sweeper (an Auth user
 * deleted elsewhere). Starting twice is the same job; each start also kicks it, so a request again
 * re-drives one that stalled.
 */
public final class AccountDeletionService {
  private final AccountDeletions deletions;
  private final EventBus events;
  private final MessageCodec messages;
  private final UserCache userCache;
  private final AccessPolicy access;
  private final AuditTrail audit;
  private final Clock clock;

  public AccountDeletionService(
      AccountDeletions deletions,
      EventBus events,
      MessageCodec messages,
      UserCache userCache,
      AccessPolicy access,
      AuditTrail audit,
      Clock clock) {
    this.deletions = deletions;
    this.events = events;
    this.messages = messages;
    this.userCache = userCache;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
  }

  /** {@code DELETE /v1/me}. */
  public DeletionView deleteOwn(Principal caller) {
    return DeletionView.of(start(caller.uid(), "self"));
  }

  /** {@code GET /v1/me/deletion}. */
  public DeletionView ownDeletion(Principal caller) {
    return deletions
        .find(caller.uid())
        .map(DeletionView::of)
        .orElseThrow(() -> new NotFound("no-deletion", "this account is not being deleted"));
  }

  /**
   * {@code POST /v1/admin/users/{uid}:delete}: also a user who is gone from Firebase Auth but not
   * from here.
   */
  public DeletionView deleteFor(Actor actor, String uid) {
    access.requireRole(actor.principal(), Principal.ADMIN);
    String valid;
    try {
      valid = new Uid(uid).value();
    } catch (IllegalArgumentException e) {
      throw new NotFound("user not found");
    }
    return audit.run(
        actor,
        "user.delete",
        valid,
        Map.of(),
        () -> DeletionView.of(start(valid, "admin:" + actor.principal().uid())));
  }

  /** For the sweeper: a user whose Firebase Auth account is gone. */
  public AccountDeletion deleteRemoved(String uid) {
    return start(uid, "sweeper");
  }

  /** Jobs not done and not moved since {@code before}: their messages were lost. */
  public List<AccountDeletion> stalled(Instant before, int limit) {
    return deletions.stalled(before, limit);
  }

  /** Kicks a job that has not moved for a while (its message was lost or dead-lettered). */
  public void redrive(AccountDeletion job) {
    publish(job.uid());
  }

  private AccountDeletion start(String uid, String requestedBy) {
    AccountDeletion job = deletions.start(uid, requestedBy, clock.instant());
    // The cached profile would let a request through before its instance sees the closed account.
    userCache.evict(uid);
    if (!job.isDone()) {
      publish(uid);
    }
    return job;
  }

  private void publish(String uid) {
    events.publish(Topics.ACCOUNT_DELETIONS, Map.of("uid", uid), messages.accountDeletion(uid));
  }
}
