package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.users.Device;
import dev.cirrus.shared.users.DeviceRegistration;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Recipient;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import dev.cirrus.shared.users.UserStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link UserStore} in memory, held to the same contract test as the Firestore adapter so that
 * fast unit tests can trust it.
 */
public final class InMemoryUserStore implements UserStore {
  private final Map<String, UserRecord> users = new HashMap<>();
  private final Map<String, Map<String, Device>> devices = new HashMap<>();
  private long profileReads;

  @Override
  public synchronized UserRecord findOrCreate(UserRecord fresh) {
    profileReads++;
    return users.computeIfAbsent(fresh.uid(), uid -> fresh);
  }

  @Override
  public synchronized Optional<UserRecord> find(String uid) {
    return Optional.ofNullable(users.get(uid));
  }

  /**
   * How many times a user's document was read to show or change the profile ({@link #findOrCreate},
   * {@link #saveSettings}): one billed Firestore read each, what the cache saves.
   */
  public synchronized long profileReads() {
    return profileReads;
  }

  @Override
  public synchronized UserRecord saveSettings(String uid, Settings settings) {
    profileReads++;
    UserRecord user = users.get(uid);
    if (user == null) {
      throw new NotFound("user not found");
    }
    UserRecord saved = new UserRecord(uid, user.email(), settings, user.quota(), user.createdAt());
    users.put(uid, saved);
    return saved;
  }

  @Override
  public synchronized DeviceRegistration registerDevice(String uid, Device device, int maxDevices) {
    Map<String, Device> mine = devices.computeIfAbsent(uid, u -> new LinkedHashMap<>());
    Device existing = mine.get(device.id());
    if (existing != null) {
      Device refreshed =
          new Device(
              existing.id(),
              existing.token(),
              device.platform(),
              existing.createdAt(),
              device.lastSeenAt());
      mine.put(device.id(), refreshed);
      return new DeviceRegistration(refreshed, false, List.of());
    }
    List<String> evicted = new ArrayList<>();
    List<Device> oldestFirst = sorted(mine);
    for (int i = 0; i <= oldestFirst.size() - maxDevices; i++) {
      evicted.add(oldestFirst.get(i).id());
      mine.remove(oldestFirst.get(i).id());
    }
    mine.put(device.id(), device);
    return new DeviceRegistration(device, true, evicted);
  }

  @Override
  public synchronized List<String> holdersOf(String deviceId) {
    List<String> holders = new ArrayList<>();
    devices.forEach(
        (uid, mine) -> {
          if (mine.containsKey(deviceId)) {
            holders.add(uid);
          }
        });
    return holders;
  }

  @Override
  public synchronized void removeDevice(String uid, String deviceId) {
    Map<String, Device> mine = devices.get(uid);
    if (mine != null) {
      mine.remove(deviceId);
    }
  }

  @Override
  public synchronized List<Device> devices(String uid) {
    return sorted(devices.getOrDefault(uid, Map.of()));
  }

  @Override
  public synchronized Map<String, Recipient> recipients(List<String> uids) {
    Map<String, Recipient> found = new HashMap<>();
    for (String uid : uids) {
      UserRecord user = users.get(uid);
      if (user != null) {
        found.put(uid, new Recipient(uid, user.settings(), devices(uid)));
      }
    }
    return found;
  }

  @Override
  public synchronized Map<String, Quota> quotas(String startAt, int limit) {
    Map<String, Quota> quotas = new LinkedHashMap<>();
    users.keySet().stream()
        .filter(u -> u.compareTo(startAt) >= 0)
        .sorted()
        .limit(limit)
        .forEach(u -> quotas.put(u, users.get(u).quota()));
    return quotas;
  }

  @Override
  public synchronized Optional<Quota> quota(String uid) {
    return Optional.ofNullable(users.get(uid)).map(UserRecord::quota);
  }

  @Override
  public synchronized boolean correctQuota(String uid, Quota seen, long usedBytes, long fileCount) {
    UserRecord user = users.get(uid);
    if (user == null || !user.quota().equals(seen)) {
      return false;
    }
    users.put(
        uid,
        new UserRecord(
            uid,
            user.email(),
            user.settings(),
            new Quota(usedBytes, fileCount, seen.limitBytes()),
            user.createdAt()));
    return true;
  }

  private static List<Device> sorted(Map<String, Device> mine) {
    List<Device> list = new ArrayList<>(mine.values());
    list.sort(Comparator.comparing(Device::createdAt).thenComparing(Device::id));
    return list;
  }

  @Override
  public synchronized int deleteDevices(String uid, int limit) {
    Map<String, Device> mine = devices.getOrDefault(uid, new LinkedHashMap<>());
    List<String> page = mine.keySet().stream().limit(limit).toList();
    page.forEach(mine::remove);
    return page.size();
  }

  /** Whether the user has a device left. */
  synchronized boolean holdsDevicesOf(String uid) {
    return !devices.getOrDefault(uid, Map.of()).isEmpty();
  }

  /** Deletes the user's document, as an account deletion's last Firestore write does. */
  synchronized void delete(String uid) {
    users.remove(uid);
    devices.remove(uid);
  }
}
