package dev.cirrus.shared.notifications;

import dev.cirrus.shared.users.DevicePlatform;
import java.util.List;

/**
 * Port: sends pushes to devices (FCM in production). It reports what happened to each push and
 * decides nothing: pruning and retrying are the domain's.
 */
public interface PushSender {

  /** One notification to one device. {@code deviceKey} names the device in results and logs. */
  record Push(
      String deviceKey, String token, DevicePlatform platform, StoredNotification notification) {}

  /** What became of a push. */
  enum Status {
    /** Accepted for delivery. */
    SENT,
    /** The token is no longer valid, or never was: the device should be forgotten. */
    TOKEN_GONE,
    /** Worth trying again later: the service was unavailable or over quota. */
    TRANSIENT,
    /** Refused for a reason retrying will not fix, with the token still valid. */
    FAILED
  }

  /** The result for one push, in the order the pushes were given. */
  record Result(Push push, Status status, String detail) {}

  /** Sends every push; never throws for a single push's failure. */
  List<Result> send(List<Push> pushes);
}
