package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.accounts.AccountDeletion;
import dev.cirrus.shared.accounts.AccountDeletions;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AccountDeletions} in memory over the other fakes, as Firestore's collections are one
 * database: starting closes the account in the upload store, and the profile goes only when
 * uploads, files, notifications and devices hold nothing of the user. Held to the same contract.
 */
public final class InMemoryAccountDeletions implements AccountDeletions {
  private final Map<String, AccountDeletion> jobs = new HashMap<>();
  private final InMemoryUploadStore uploads;
  private final InMemoryNotificationStore notifications;
  private final InMemoryUserStore users;

  public InMemoryAccountDeletions(
      InMemoryUploadStore uploads,
      InMemoryNotificationStore notifications,
      InMemoryUserStore users) {
    this.uploads = uploads;
    this.notifications = notifications;
    this.users = users;
  }

  @Override
  public synchronized AccountDeletion start(String uid, String requestedBy, Instant now) {
    AccountDeletion existing = jobs.get(uid);
    if (existing != null) {
      return existing;
    }
    AccountDeletion job = AccountDeletion.requested(uid, requestedBy, now);
    jobs.put(uid, job);
    uploads.close(uid);
    return job;
  }

  @Override
  public synchronized Optional<AccountDeletion> find(String uid) {
    return Optional.ofNullable(jobs.get(uid));
  }

  @Override
  public synchronized Optional<AccountDeletion> advance(
      AccountDeletion seen, AccountDeletion next) {
    AccountDeletion now = jobs.get(seen.uid());
    if (now == null || now.phase() != seen.phase() || !now.updatedAt().equals(seen.updatedAt())) {
      return Optional.empty();
    }
    jobs.put(seen.uid(), next);
    return Optional.of(next);
  }

  @Override
  public synchronized List<AccountDeletion> stalled(Instant before, int limit) {
    return jobs.values().stream()
        .filter(j -> !j.isDone() && j.updatedAt().isBefore(before))
        .sorted(Comparator.comparing(AccountDeletion::updatedAt))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized boolean deleteProfileIfEmpty(String uid) {
    synchronized (uploads) {
      if (uploads.holdsAnythingOf(uid)
          || notifications.holdsAnyOf(uid)
          || users.holdsDevicesOf(uid)) {
        return false;
      }
      users.delete(uid);
      uploads.quotas().remove(uid);
      return true;
    }
  }
}
