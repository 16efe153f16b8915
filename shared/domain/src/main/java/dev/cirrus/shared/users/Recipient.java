package dev.cirrus.shared.users;

import java.util.List;

/** What notifying a user needs: whether they mute the type, and where to push. */
public record Recipient(String uid, Settings settings, List<Device> devices) {
  public Recipient {
    devices = List.copyOf(devices);
  }

  public boolean mutes(String type) {
    return settings.mutedTypes().contains(type);
  }
}
