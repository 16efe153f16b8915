package dev.cirrus.shared.users;

import dev.cirrus.shared.error.BadRequest;
import java.util.Locale;

/** Where a push token came from; FCM needs it to shape the message. */
public enum DevicePlatform {
  ANDROID,
  IOS,
  WEB;

  public static DevicePlatform parse(String value) {
    if (value != null) {
      for (DevicePlatform p : values()) {
        if (p.wireName().equals(value)) {
          return p;
        }
      }
    }
    throw BadRequest.invalidField("platform", "must be one of android, ios, web");
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
