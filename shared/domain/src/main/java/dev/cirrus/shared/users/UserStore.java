package dev.cirrus.shared.users;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Port: where user documents and their devices live. */
public interface UserStore {

  /** The user's document, created from {@code fresh} if it does not exist yet. */
  UserRecord findOrCreate(UserRecord fresh);

  /** The user's document, if it exists; nothing is created. */
  Optional<UserRecord> find(String uid);

  /**
   * Replaces the settings of an existing user.
   *
   * @return the user's record as it stands after the change, read in the same transaction
   */
  UserRecord saveSettings(String uid, Settings settings);

  /**
   * Adds the device, or refreshes it when its token is known. Beyond {@code maxDevices} the least
   * recently registered devices are removed, atomically with the insert.
   */
  DeviceRegistration registerDevice(String uid, Device device, int maxDevices);

  /** The users who have registered this device (its token), whoever they are. */
  List<String> holdersOf(String deviceId);

  /** Removes the device if present; removing an absent device is not an error. */
  void removeDevice(String uid, String deviceId);

  /** The user's devices, oldest registration first. */
  List<Device> devices(String uid);

  /**
   * Settings and devices of the given users, read together (one call for up to 500 users in
   * Firestore); users that do not exist are absent from the map.
   */
  Map<String, Recipient> recipients(List<String> uids);

  /** The quotas of up to {@code limit} users, in id order, from the id {@code startAt} on. */
  Map<String, Quota> quotas(String startAt, int limit);

  /** The user's quota, if the user exists. */
  Optional<Quota> quota(String uid);

  /**
   * Sets the user's used bytes and file count, if the quota is still {@code seen}: a change in
   * between (a file promoted or deleted) wins, and the next check looks again.
   *
   * @return true if it was corrected
   */
  boolean correctQuota(String uid, Quota seen, long usedBytes, long fileCount);

  /**
   * Deletes up to {@code limit} of the user's devices (their documents and their push targets).
   *
   * @return how many it deleted: fewer than {@code limit} when none are left
   */
  int deleteDevices(String uid, int limit);
}
