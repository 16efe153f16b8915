package dev.cirrus.shared.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: account deletion jobs, and the one write that needs every collection at once. */
public interface AccountDeletions {

  /**
   * The user's deletion job, started now if there is none; starting closes the account to new
   * uploads (the user document says so, in the same transaction). A second start returns the job as
   * it stands.
   */
  AccountDeletion start(String uid, String requestedBy, Instant now);

  Optional<AccountDeletion> find(String uid);

  /**
   * Moves the job to {@code next} if it is still as {@code seen} left it (phase and update time).
   *
   * @return the job as written, or empty if another step moved it first
   */
  Optional<AccountDeletion> advance(AccountDeletion seen, AccountDeletion next);

  /**
   * Jobs not done and not moved since {@code before}, oldest first: for the sweeper to re-drive.
   */
  List<AccountDeletion> stalled(Instant before, int limit);

  /**
   * Deletes the user document if the user has nothing left: no upload, file, notification or
   * device. Checked and deleted in one transaction, so nothing written meanwhile is orphaned.
   *
   * @return false if something is left (the job goes round again)
   */
  boolean deleteProfileIfEmpty(String uid);
}
