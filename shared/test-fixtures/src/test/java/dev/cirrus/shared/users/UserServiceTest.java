package dev.cirrus.shared.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryUserStore;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.testing.MutableClock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserServiceTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final InMemoryUserStore store = new InMemoryUserStore();
  private final UserService users =
      new UserService(store, clock, Limits.DEFAULTS.withDefaultQuota(5000));
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
}
