package dev.cirrus.shared.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.accounts.AccountDeletion.Erased;
import dev.cirrus.shared.accounts.AccountDeletion.Phase;
import dev.cirrus.shared.notifications.NotificationStore;
import dev.cirrus.shared.notifications.NotificationStore.Addressed;
import dev.cirrus.shared.notifications.StoredNotification;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import dev.cirrus.shared.users.UserStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link AccountDeletions} adapter must have; one subclass per adapter. */
public abstract class AccountDeletionsContract {
  protected final Instant t0 = Instant.parse("2026-12-04T10:00:00Z");

  protected abstract AccountDeletions deletions();

  /** The stores of the same database, as an adapter sees them beside its own. */
  protected abstract UploadStore uploads();

  protected abstract UserStore users();

  protected abstract NotificationStore notifications();

  private String user() {
    String uid = "del-" + UUID.randomUUID();
    users()
        .findOrCreate(
            new UserRecord(uid, Optional.empty(), Settings.DEFAULT, Quota.empty(1000), t0));
    return uid;
  }

  @Test
  void aStartIsOneJobAndClosesTheAccountToUploads() {
    String uid = user();
    assertThat(uploads().admission(uid, Quota.empty(1000), t0).closing()).isFalse();

    AccountDeletion job = deletions().start(uid, "self", t0);
    AccountDeletion again = deletions().start(uid, "admin:x", t0.plusSeconds(5));

    assertThat(job.phase()).isEqualTo(Phase.UPLOADS);
    assertThat(again).isEqualTo(job);
    assertThat(deletions().find(uid)).contains(job);
    assertThat(uploads().admission(uid, Quota.empty(1000), t0).closing()).isTrue();
    assertThat(deletions().find("never-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void aStepMovesTheJobOnlyFromWhereItFoundIt() {
    String uid = user();
    AccountDeletion job = deletions().start(uid, "self", t0);
    AccountDeletion moved = job.after(Phase.FILES, new Erased(3, 0, 0, 0, 0, 0), t0.plusSeconds(1));

    assertThat(deletions().advance(job, moved)).contains(moved);
    assertThat(deletions().advance(job, job.after(Phase.OBJECTS, Erased.NONE, t0.plusSeconds(2))))
        .as("a second step from the same place")
        .isEmpty();
    assertThat(deletions().find(uid)).contains(moved);
    AccountDeletion done = moved.after(Phase.DONE, Erased.NONE, t0.plusSeconds(3));
    assertThat(deletions().advance(moved, done)).contains(done);
    assertThat(deletions().find(uid).orElseThrow().finishedAt()).contains(t0.plusSeconds(3));
  }

  @Test
  void stalledJobsAreTheRunningOnesNotMovedSinceOldestFirst() {
    Instant past = Instant.parse("1991-01-01T00:00:00Z");
    String older = user();
    String old = user();
    String finished = user();
    deletions().start(older, "self", past);
    deletions().start(old, "self", past.plusSeconds(10));
    AccountDeletion f = deletions().start(finished, "self", past);
    deletions().advance(f, f.after(Phase.DONE, Erased.NONE, past.plusSeconds(1)));

    List<String> stalled =
        deletions().stalled(past.plusSeconds(60), 100).stream()
            .map(AccountDeletion::uid)
            .filter(u -> List.of(older, old, finished).contains(u))
            .toList();

    assertThat(stalled).containsExactly(older, old);
  }

  @Test
  void theProfileGoesOnlyWhenNothingOfTheUserIsLeft() {
    String uid = user();
    deletions().start(uid, "self", t0);
    notifications()
        .createMissing(
            List.of(
                new Addressed(
                    uid,
                    new StoredNotification(
                        StoredNotification.idFor("late-" + uid),
                        "file.ready",
                        "t",
                        "b",
                        Map.of(),
                        t0,
                        Optional.empty()))));

    assertThat(deletions().deleteProfileIfEmpty(uid)).isFalse();
    assertThat(users().quota(uid)).isPresent();

    notifications().deleteSome(uid, 10);
    assertThat(deletions().deleteProfileIfEmpty(uid)).isTrue();
    assertThat(users().quota(uid)).isEmpty();
  }
}
