package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.accounts.AccountDeletions;
import dev.cirrus.shared.exports.AccountExport;
import dev.cirrus.shared.exports.AccountExports;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link AccountExports} in memory; it reads the deletion jobs, as the Firestore transaction does,
 * to refuse an export of an account being deleted. Held to the same contract.
 */
public final class InMemoryAccountExports implements AccountExports {
  private final Map<String, AccountExport> jobs = new HashMap<>();
  private final AccountDeletions deletions;

  public InMemoryAccountExports(AccountDeletions deletions) {
    this.deletions = deletions;
  }

  @Override
  public Optional<AccountExport> start(
      String uid, Function<Optional<AccountExport>, AccountExport> decide) {
    synchronized (deletions) {
      synchronized (this) {
        if (deletions.find(uid).isPresent()) {
          return Optional.empty();
        }
        AccountExport chosen = decide.apply(Optional.ofNullable(jobs.get(uid)));
        jobs.put(uid, chosen);
        return Optional.of(chosen);
      }
    }
  }

  @Override
  public synchronized Optional<AccountExport> find(String uid) {
    return Optional.ofNullable(jobs.get(uid));
  }

  @Override
  public synchronized Optional<AccountExport> advance(AccountExport seen, AccountExport next) {
    AccountExport now = jobs.get(seen.uid());
    if (now == null
        || !now.id().equals(seen.id())
        || now.phase() != seen.phase()
        || !now.updatedAt().equals(seen.updatedAt())) {
      return Optional.empty();
    }
    jobs.put(seen.uid(), next);
    return Optional.of(next);
  }

  @Override
  public synchronized List<AccountExport> stalled(Instant before, int limit) {
    return jobs.values().stream()
        .filter(j -> j.isRunning() && j.updatedAt().isBefore(before))
        .sorted(Comparator.comparing(AccountExport::updatedAt))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<AccountExport> expired(Instant now, int limit) {
    return jobs.values().stream()
        .filter(j -> j.expiresAt().filter(at -> at.isBefore(now)).isPresent())
        .sorted(Comparator.comparing(j -> j.expiresAt().orElseThrow()))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized void remove(String uid) {
    jobs.remove(uid);
  }
}
