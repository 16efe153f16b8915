package dev.cirrus.shared.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link UserStore} adapter must have; one subclass per adapter. */
public abstract class UserStoreContract {
  protected abstract UserStore store();

  private final Instant t0 = Instant.parse("2026-11-25T12:00:00Z");

  private String newUid() {
    return "u-" + UUID.randomUUID();
  }

  private UserRecord fresh(String uid) {
    return new UserRecord(
        uid, Optional.of(uid + "@example.com"), Settings.DEFAULT, Quota.empty(1000), t0);
  }

  @Test
  void findOrCreateCreatesOnceAndThenReturnsTheStoredUser() {
    String uid = newUid();
    UserRecord created = store().findOrCreate(fresh(uid));
    assertThat(created.quota().limitBytes()).isEqualTo(1000);
    UserRecord again =
        store()
            .findOrCreate(
                new UserRecord(
                    uid, Optional.empty(), Settings.DEFAULT, Quota.empty(5), t0.plusSeconds(9)));
    assertThat(again.quota().limitBytes()).isEqualTo(1000);
    assertThat(again.email()).contains(uid + "@example.com");
    assertThat(again.createdAt()).isEqualTo(t0);
  }

  @Test
  void findReadsAnExistingUserAndCreatesNone() {
    String uid = newUid();
    assertThat(store().find(uid)).isEmpty();
    assertThat(store().find(uid)).as("finding did not create it").isEmpty();
    store().findOrCreate(fresh(uid));
    UserRecord found = store().find(uid).orElseThrow();
    assertThat(found.email()).contains(uid + "@example.com");
    assertThat(found.quota()).isEqualTo(Quota.empty(1000));
  }

  @Test
  void settingsAreReplacedAndReadBack() {
    String uid = newUid();
    store().findOrCreate(fresh(uid));
    UserRecord saved =
        store().saveSettings(uid, new Settings(List.of("file.ready", "file.deleted")));
    assertThat(saved.settings().mutedTypes()).containsExactly("file.deleted", "file.ready");
    assertThat(saved.quota()).isEqualTo(Quota.empty(1000));
    assertThat(saved.email()).contains(uid + "@example.com");
    assertThat(saved.createdAt()).isEqualTo(t0);
    assertThat(store().findOrCreate(fresh(uid)).settings().mutedTypes())
        .containsExactly("file.deleted", "file.ready");
  }

  @Test
  void registeringTheSameTokenTwiceKeepsOneDevice() {
    String uid = newUid();
    store().findOrCreate(fresh(uid));
    Device first = Device.register("tok-1", DevicePlatform.ANDROID, t0);
    assertThat(store().registerDevice(uid, first, 10).created()).isTrue();
    DeviceRegistration again =
        store()
            .registerDevice(
                uid, Device.register("tok-1", DevicePlatform.IOS, t0.plusSeconds(5)), 10);
    assertThat(again.created()).isFalse();
    assertThat(again.device().id()).isEqualTo(first.id());
    assertThat(store().devices(uid)).hasSize(1);
    assertThat(store().devices(uid).get(0).platform()).isEqualTo(DevicePlatform.IOS);
    assertThat(store().devices(uid).get(0).createdAt()).isEqualTo(t0);
  }

  @Test
  void theOldestDeviceIsReplacedBeyondTheLimit() {
    String uid = newUid();
    store().findOrCreate(fresh(uid));
    for (int i = 0; i < 3; i++) {
      store()
          .registerDevice(
              uid,
              Device.register("tok-" + i, DevicePlatform.WEB, t0.plus(Duration.ofSeconds(i))),
              3);
    }
    DeviceRegistration fourth =
        store()
            .registerDevice(
                uid, Device.register("tok-3", DevicePlatform.WEB, t0.plusSeconds(10)), 3);
    assertThat(fourth.evicted()).containsExactly(Device.idFor("tok-0"));
    assertThat(store().devices(uid))
        .extracting(Device::token)
        .containsExactly("tok-1", "tok-2", "tok-3");
  }

  @Test
  void aDeviceIsFoundWithEveryUserWhoRegisteredIt() {
    String a = newUid();
    String b = newUid();
    store().findOrCreate(fresh(a));
    store().findOrCreate(fresh(b));
    Device shared = Device.register("shared-" + a, DevicePlatform.ANDROID, t0);
    store().registerDevice(a, shared, 10);
    store().registerDevice(b, shared, 10);
    store().registerDevice(b, Device.register("own-" + b, DevicePlatform.IOS, t0), 10);

    assertThat(store().holdersOf(shared.id())).containsExactlyInAnyOrder(a, b);
    store().removeDevice(a, shared.id());
    assertThat(store().holdersOf(shared.id())).containsExactly(b);
    assertThat(store().holdersOf(Device.idFor("never-" + a))).isEmpty();
  }

  @Test
  void removingIsIdempotent() {
    String uid = newUid();
    store().findOrCreate(fresh(uid));
    Device device = Device.register("tok-x", DevicePlatform.ANDROID, t0);
    store().registerDevice(uid, device, 10);
    store().removeDevice(uid, device.id());
    store().removeDevice(uid, device.id());
    assertThat(store().devices(uid)).isEmpty();
  }

  @Test
  void recipientsCarrySettingsAndTheDevicesAsTheyAreNow() {
    String a = newUid();
    String b = newUid();
    store().findOrCreate(fresh(a));
    store().findOrCreate(fresh(b));
    store().saveSettings(b, new Settings(List.of("file.ready")));
    for (int i = 0; i < 3; i++) {
      store()
          .registerDevice(
              a, Device.register("rt-" + a + i, DevicePlatform.ANDROID, t0.plusSeconds(i)), 2);
    }
    store().registerDevice(a, Device.register("rt-" + a + 2, DevicePlatform.IOS, t0), 2);
    Device bPhone = Device.register("rt-" + b, DevicePlatform.IOS, t0);
    store().registerDevice(b, bPhone, 2);
    store().removeDevice(b, bPhone.id());

    Map<String, Recipient> found = store().recipients(List.of(a, b, newUid()));

    assertThat(found).containsOnlyKeys(a, b);
    assertThat(found.get(a).devices())
        .extracting(Device::token, Device::platform)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("rt-" + a + 1, DevicePlatform.ANDROID),
            org.assertj.core.groups.Tuple.tuple("rt-" + a + 2, DevicePlatform.IOS));
    assertThat(found.get(a).mutes("file.ready")).isFalse();
    assertThat(found.get(b).devices()).isEmpty();
    assertThat(found.get(b).mutes("file.ready")).isTrue();
  }

  @Test
  void quotasComeInIdOrderFromAStartingPoint() {
    String prefix = "zz-order-" + UUID.randomUUID() + "-";
    for (String suffix : List.of("b", "a", "c")) {
      store().findOrCreate(fresh(prefix + suffix));
    }
    assertThat(store().quotas(prefix, 2)).containsOnlyKeys(prefix + "a", prefix + "b");
    assertThat(store().quotas(prefix, 2).keySet()).containsExactly(prefix + "a", prefix + "b");
    assertThat(store().quotas(prefix + "b", 2).keySet()).startsWith(prefix + "b", prefix + "c");
    assertThat(store().quotas(prefix, 1).get(prefix + "a")).isEqualTo(Quota.empty(1000));
    String first = newUidBefore();
    store().findOrCreate(fresh(first));
    assertThat(store().quotas("", 100_000)).as("from the very first id").containsKey(first);
  }

  /** A uid that sorts before any other the tests make. */
  private static String newUidBefore() {
    return "!" + UUID.randomUUID();
  }

  @Test
  void aQuotaIsCorrectedOnlyIfNobodyChangedItSinceItWasRead() {
    String uid = newUid();
    store().findOrCreate(fresh(uid));
    Quota seen = store().quota(uid).orElseThrow();
    assertThat(store().correctQuota(uid, new Quota(1, 1, seen.limitBytes()), 50, 2)).isFalse();
    assertThat(store().correctQuota(uid, seen, 50, 2)).isTrue();
    assertThat(store().quota(uid)).contains(new Quota(50, 2, seen.limitBytes()));
    assertThat(store().quota(newUid())).isEmpty();
    assertThat(store().correctQuota(newUid(), seen, 1, 1)).isFalse();
  }

  @Test
  void aUsersDevicesAreDeletedInBoundedStepsWithTheirPushTargets() {
    String uid = newUid();
    String other = newUid();
    store().findOrCreate(fresh(uid));
    store().findOrCreate(fresh(other));
    Instant now = t0;
    for (String token : List.of("t-a", "t-b", "t-c")) {
      store().registerDevice(uid, Device.register(token + uid, DevicePlatform.ANDROID, now), 10);
    }
    store().registerDevice(other, Device.register("t-d" + other, DevicePlatform.IOS, now), 10);

    assertThat(store().deleteDevices(uid, 2)).isEqualTo(2);
    assertThat(store().deleteDevices(uid, 2)).isEqualTo(1);
    assertThat(store().deleteDevices(uid, 2)).isZero();
    assertThat(store().devices(uid)).isEmpty();
    assertThat(store().recipients(List.of(uid)).get(uid).devices()).isEmpty();
    assertThat(store().devices(other)).hasSize(1);
  }
}
