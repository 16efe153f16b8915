package dev.cirrus.shared.exports;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Port: data export jobs, one per user. */
public interface AccountExports {

  /**
   * Reads the user's job and writes what {@code decide} makes of it, in one transaction: two
   * requests at once end with one job, and none starts once the account's deletion has (the
   * transaction reads the deletion job too, so it cannot slip in before the deletion's clean-up).
   *
   * @param decide the job to keep, given the current one; returning the current one writes nothing
   * @return the job as stored; empty if the account is being deleted
   */
  Optional<AccountExport> start(
      String uid, Function<Optional<AccountExport>, AccountExport> decide);

  Optional<AccountExport> find(String uid);

  /**
   * Moves the job to {@code next} if it is still as {@code seen} left it (id, phase and update
   * time).
   *
   * @return the job as written, or empty if another step moved it, or it was replaced or removed
   */
  Optional<AccountExport> advance(AccountExport seen, AccountExport next);

  /** Running jobs not moved since {@code before}, oldest first: for the sweeper to re-drive. */
  List<AccountExport> stalled(Instant before, int limit);

  /** Jobs whose archive expired before {@code now}, oldest first: for the sweeper to delete. */
  List<AccountExport> expired(Instant now, int limit);

  /** Removes the user's job (an account deletion): its steps then discard what they wrote. */
  void remove(String uid);
}
