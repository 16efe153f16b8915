package dev.cirrus.shared.ratelimit;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address a request is budgeted by. IPv4 as it is; IPv6 by its /64, the block one subscriber is
 * given, so a client cannot step through its own addresses to refill its budget. Anything else
 * counts as one unknown address.
 */
public final class ClientAddress {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private ClientAddress() {}

  /**
   * @param forwardedFor the {@code X-Forwarded-For} header
   * @param hop which entry counts, from the right: 1 for the last, the one the nearest trusted
   *     proxy appended (entries left of it are whatever the client wrote)
   */
  public static String bucketOf(Optional<String> forwardedFor, int hop) {
    if (forwardedFor.isEmpty()) {
      return "unknown";
    }
    String[] entries = forwardedFor.get().split(",");
    if (entries.length < hop) {
      return "unknown";
    }
    return bucketOfAddress(entries[entries.length - hop].trim());
  }

  static String bucketOfAddress(String address) {
    if (IPV4.matcher(address).matches()) {
      return address;
    }
    if (!address.contains(":") || !IPV6.matcher(address).matches()) {
      return "unknown";
    }
    String[] groups = expand(address.toLowerCase(Locale.ROOT));
    if (groups == null) {
      return "unknown";
    }
    if (groups[0].equals("0") && groups[5].equals("ffff")) {
      // ::ffff:a.b.c.d is an IPv4 client seen through IPv6
      return "v4:" + groups[6] + ":" + groups[7];
    }
    return String.join(":", groups[0], groups[1], groups[2], groups[3]) + "::/64";
  }

  /** The eight groups of an IPv6 address without leading zeros, or null when it is not one. */
  private static String[] expand(String address) {
    String v = address;
    if (v.contains(".")) {
      int last = v.lastIndexOf(':');
      String[] octets = v.substring(last + 1).split("\\.");
      if (octets.length != 4) {
        return null;
      }
      int[] o = new int[4];
      for (int i = 0; i < 4; i++) {
        o[i] = Integer.parseInt(octets[i]);
        if (o[i] > 255) {
          return null;
        }
      }
      v =
          v.substring(0, last + 1)
              + Integer.toHexString(o[0] << 8 | o[1])
              + ":"
              + Integer.toHexString(o[2] << 8 | o[3]);
    }
    String[] halves = v.split("::", -1);
    if (halves.length > 2) {
      return null;
    }
    String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":");
    String[] tail =
        halves.length == 1 || halves[1].isEmpty() ? new String[0] : halves[1].split(":");
    int missing = 8 - head.length - tail.length;
    if ((halves.length == 1 && missing != 0) || missing < 0) {
      return null;
    }
    String[] groups = new String[8];
    int i = 0;
    for (String g : head) {
      groups[i++] = group(g);
    }
    for (int k = 0; k < missing; k++) {
      groups[i++] = "0";
    }
    for (String g : tail) {
      groups[i++] = group(g);
    }
    for (String g : groups) {
      if (g == null) {
        return null;
      }
    }
    return groups;
  }

  private static String group(String hex) {
    if (hex.isEmpty()
        || hex.length() > 4
        || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return null;
    }
    return Integer.toHexString(Integer.parseInt(hex, 16));
  }
}
