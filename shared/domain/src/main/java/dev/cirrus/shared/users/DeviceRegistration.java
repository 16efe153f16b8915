package dev.cirrus.shared.users;

import java.util.List;

/**
 * The outcome of registering a device.
 *
 * @param created false when the token was already registered
 * @param evicted ids of the oldest devices removed to stay within the limit
 */
public record DeviceRegistration(Device device, boolean created, List<String> evicted) {
  public DeviceRegistration {
    evicted = List.copyOf(evicted);
  }
}
