package dev.cirrus.shared.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link UserCache} adapter must have; one subclass per adapter. */
public abstract class UserCacheContract {
  /** How long the subclass's cache keeps a record. */
  protected static final Duration TTL = Duration.ofMillis(1500);

  /** How long the subclass's cache keeps an eviction's mark. */
  protected static final Duration MARK = Duration.ofMillis(600);

  /** A cache with {@link #TTL} and {@link #MARK}. */
  protected abstract UserCache cache();

  /** Lets time pass for the cache: a test clock moves, a real server is waited for. */
  protected abstract void pass(Duration time) throws InterruptedException;

  private static UserRecord user(String uid, long usedBytes, String... muted) {
    return new UserRecord(
        uid,
        Optional.of(uid + "@example.com"),
        new Settings(List.of(muted)),
        new Quota(usedBytes, usedBytes == 0 ? 0 : 1, 5_000),
        Instant.parse("2026-12-01T10:11:12.345Z"));
  }

  private static String newUid() {
    return "u-" + UUID.randomUUID();
  }

  @Test
  void aRememberedRecordIsFoundWithEveryField() {
    UserRecord user = user(newUid(), 42, "file.ready", "file.deleted");
    cache().remember(user);
    assertThat(cache().find(user.uid())).contains(user);
  }

  @Test
  void aRecordWithoutEmailReadsBackWithoutEmail() {
    String uid = newUid();
    UserRecord anonymous =
        new UserRecord(
            uid, Optional.empty(), Settings.DEFAULT, Quota.empty(20), Instant.EPOCH.plusSeconds(9));
    cache().remember(anonymous);
    assertThat(cache().find(uid)).contains(anonymous);
  }

  @Test
  void anUnknownUserIsAMiss() {
    assertThat(cache().find(newUid())).isEmpty();
  }

  @Test
  void rememberingDoesNotReplaceACachedRecord() {
    String uid = newUid();
    cache().remember(user(uid, 1));
    cache().remember(user(uid, 2));
    assertThat(cache().find(uid).map(u -> u.quota().usedBytes())).contains(1L);
  }

  @Test
  void aWriteReplacesTheCachedRecord() {
    String uid = newUid();
    cache().remember(user(uid, 1));
    cache().writeThrough(user(uid, 1, "file.ready"));
    assertThat(cache().find(uid).map(u -> u.settings().mutedTypes()))
        .contains(List.of("file.ready"));
  }

  @Test
  void anEvictedRecordIsAMissAndAnOlderReadCannotPutItBack() throws InterruptedException {
    String uid = newUid();
    cache().remember(user(uid, 1));
    cache().evict(uid);
    assertThat(cache().find(uid)).isEmpty();
    // A reader that read Firestore before the evicting commit arrives late with what it read.
    cache().remember(user(uid, 1));
    assertThat(cache().find(uid)).isEmpty();
    cache().writeThrough(user(uid, 1, "file.ready"));
    assertThat(cache().find(uid)).isEmpty();
    pass(MARK.plusMillis(200));
    cache().remember(user(uid, 2));
    assertThat(cache().find(uid).map(u -> u.quota().usedBytes())).contains(2L);
  }

  @Test
  void aRecordExpiresAfterItsTtl() throws InterruptedException {
    String uid = newUid();
    cache().remember(user(uid, 1));
    pass(TTL.minusMillis(700));
    assertThat(cache().find(uid)).isPresent();
    pass(Duration.ofMillis(900));
    assertThat(cache().find(uid)).isEmpty();
  }
}
