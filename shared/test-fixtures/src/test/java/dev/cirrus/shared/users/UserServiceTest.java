package dev.cirrus.shared.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryAccountDeletions;
import dev.cirrus.shared.adapter.memory.InMemoryNotificationStore;
import dev.cirrus.shared.adapter.memory.InMemoryUploadStore;
import dev.cirrus.shared.adapter.memory.InMemoryUserCache;
import dev.cirrus.shared.adapter.memory.InMemoryUserStore;
import dev.cirrus.shared.adapter.memory.UnreachableUserCache;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserServiceTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final InMemoryUserStore store = new InMemoryUserStore();
  private final InMemoryUserCache cache =
      new InMemoryUserCache(clock, Duration.ofMinutes(2), Duration.ofSeconds(5));
  private final InMemoryAccountDeletions deletions =
      new InMemoryAccountDeletions(
          new InMemoryUploadStore(), new InMemoryNotificationStore(), store);
  private final UserService users =
      new UserService(store, cache, deletions, clock, Limits.DEFAULTS.withDefaultQuota(5000));
  private final Principal alice =
      new Principal("alice", Optional.of("alice@example.com"), Set.of("editor", "admin"));

  @Test
  void firstCallCreatesTheProfileWithDefaultQuota() {
    MeView me = users.me(alice);
    assertThat(me.uid()).isEqualTo("alice");
    assertThat(me.email()).isEqualTo("alice@example.com");
    assertThat(me.roles()).containsExactly("admin", "editor");
    assertThat(me.quota()).isEqualTo(new MeView.QuotaView(0, 0, 5000));
    assertThat(me.settings().mutedTypes()).isEmpty();
  }

  @Test
  void settingsAreNormalisedSortedAndDeduplicated() {
    MeView.SettingsView saved =
        users.updateSettings(
            alice, new Settings(List.of("file.ready", "file.deleted", "file.ready")));
    assertThat(saved.mutedTypes()).containsExactly("file.deleted", "file.ready");
    assertThat(users.me(alice).settings().mutedTypes())
        .containsExactly("file.deleted", "file.ready");
  }

  @Test
  void malformedMutedTypesAreRejectedNamingTheEntry() {
    assertThatThrownBy(() -> new Settings(List.of("ok.type", "Not A Type")))
        .isInstanceOfSatisfying(
            BadRequest.class, e -> assertThat(e.field()).contains("mutedTypes[1]"));
    assertThatThrownBy(() -> new Settings(null)).isInstanceOf(BadRequest.class);
    String[] tooMany = new String[33];
    Arrays.setAll(tooMany, i -> "t" + i);
    assertThatThrownBy(() -> new Settings(List.of(tooMany))).isInstanceOf(BadRequest.class);
  }

  @Test
  void deviceRegistrationIsIdempotentAndCappedAtTen() {
    String first = users.registerDevice(alice, "token-0", "android").device().id();
    assertThat(users.registerDevice(alice, "token-0", "android").device().id()).isEqualTo(first);
    for (int i = 1; i <= 10; i++) {
      clock.advance(java.time.Duration.ofSeconds(1));
      users.registerDevice(alice, "token-" + i, "ios");
    }
    assertThatThrownBy(() -> users.removeDevice(alice, "bad id")).isInstanceOf(BadRequest.class);
    users.removeDevice(alice, first); // already evicted: still fine
  }

  @Test
  void aPhoneRegisteredByAnotherUserStopsGettingThePreviousAccountsPushes() {
    Principal bob = new Principal("bob", Optional.empty(), Set.of());
    String phone = users.registerDevice(alice, "shared-phone", "android").device().id();
    users.registerDevice(alice, "alice-tablet", "ios");

    users.registerDevice(bob, "shared-phone", "android");

    assertThat(store.holdersOf(phone)).containsExactly("bob");
    assertThat(store.devices("alice")).extracting(Device::token).containsExactly("alice-tablet");
    assertThat(store.devices("bob")).extracting(Device::token).containsExactly("shared-phone");
  }

  @Test
  void unknownPlatformAndBadTokensAreRejectedByField() {
    assertThatThrownBy(() -> users.registerDevice(alice, "t", "blackberry"))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("platform"));
    assertThatThrownBy(() -> users.registerDevice(alice, "has space", "web"))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("token"));
    assertThatThrownBy(() -> users.registerDevice(alice, "", "web"))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("token"));
    assertThatThrownBy(() -> users.registerDevice(alice, null, null))
        .isInstanceOf(BadRequest.class);
  }

  @Test
  void theProfileIsReadFromFirestoreOnceAndThenFromTheCache() {
    users.me(alice);
    users.me(alice);
    users.me(alice);
    assertThat(store.profileReads()).isEqualTo(1);
  }

  @Test
  void aSettingsChangeIsWrittenThroughSoTheNextReadNeedsNoFirestore() {
    users.me(alice);
    users.updateSettings(alice, new Settings(List.of("file.ready")));
    long afterWrite = store.profileReads();
    assertThat(users.me(alice).settings().mutedTypes()).containsExactly("file.ready");
    assertThat(store.profileReads()).isEqualTo(afterWrite);
  }

  @Test
  void aQuotaChangedElsewhereShowsOnceItsWriterHasEvicted() {
    users.me(alice);
    // process-upload promotes a file: Firestore changes, then the record is evicted.
    assertThat(store.correctQuota("alice", new Quota(0, 0, 5000), 700, 1)).isTrue();
    assertThat(users.me(alice).quota().usedBytes()).isZero();
    cache.evict("alice");
    assertThat(users.me(alice).quota().usedBytes()).isEqualTo(700);
    assertThat(users.me(alice).quota().fileCount()).isEqualTo(1);
  }

  @Test
  void aCacheThatFailsIsAMissAndTheProfileStillAnswers() {
    List<String> reports = new ArrayList<>();
    UserCache broken = new UnreachableUserCache("Redis at 10.0.0.3:6379 failed: timeout");
    TieredUserCache tiered = new TieredUserCache(broken, Duration.ZERO, 100, clock, reports::add);
    UserService withBrokenCache =
        new UserService(store, tiered, deletions, clock, Limits.DEFAULTS.withDefaultQuota(5000));

    assertThat(withBrokenCache.me(alice).quota().limitBytes()).isEqualTo(5000);
    assertThat(
            withBrokenCache.updateSettings(alice, new Settings(List.of("file.ready"))).mutedTypes())
        .containsExactly("file.ready");
    assertThat(withBrokenCache.me(alice).settings().mutedTypes()).containsExactly("file.ready");
    assertThat(tiered.failureCount()).isGreaterThanOrEqualTo(4);
    assertThat(reports).singleElement().asString().contains("failed open").contains("timeout");
  }

  @Test
  void anAccountBeingDeletedIsNotMadeAnewByATokenStillTrusted() {
    users.me(alice);
    deletions.start("alice", "self", clock.instant());
    cache.evict("alice");

    assertThatThrownBy(() -> users.me(alice))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("account-deleting"));
    assertThatThrownBy(() -> users.registerDevice(alice, "t".repeat(40), "android"))
        .isInstanceOf(Conflict.class);
  }
}
