package dev.cirrus.shared.webhooks;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which addresses a webhook may be delivered to: public unicast only. Refused, in IPv4 and IPv6 and
 * through every form that embeds an IPv4 address (mapped {@code ::ffff:a.b.c.d}, compatible {@code
 * ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo {@code 2001::/32}):
 * unspecified, loopback, private (RFC 1918, RFC 6598 shared, IPv6 unique local), link-local (where
 * cloud metadata servers answer, {@code 169.254.169.254} and {@code fd00:ec2::254} among them),
 * multicast, broadcast, documentation and benchmarking ranges, and the reserved {@code
 * 240.0.0.0/4}. The check is on the address the connection will use, never on a name: a name can
 * resolve differently at the second lookup.
 */
public final class EgressAddresses {
  private EgressAddresses() {}

  /** Why {@code address} may not be connected to, or empty when it may. */
  public static Optional<String> refusal(InetAddress address) {
    if (address instanceof Inet4Address v4) {
      return refusal4(v4.getAddress());
    }
    byte[] a = address.getAddress();
    Optional<byte[]> embedded = embeddedIpv4(a);
    if (embedded.isPresent()) {
      return refusal4(embedded.get()).map(why -> why + " (inside an IPv6 address)");
    }
    int first = a[0] & 0xff;
    if (isZero(a, 0, 15) && (a[15] == 0 || a[15] == 1)) {
      return Optional.of(a[15] == 0 ? "the unspecified address" : "loopback");
    }
    if ((first & 0xfe) == 0xfc) {
      return Optional.of("a unique local address (fc00::/7)");
    }
    if (first == 0xfe && (a[1] & 0xc0) == 0x80) {
      return Optional.of("link-local (fe80::/10)");
    }
    if (first == 0xfe && (a[1] & 0xc0) == 0xc0) {
      return Optional.of("site-local (fec0::/10)");
    }
    if (first == 0xff) {
      return Optional.of("multicast (ff00::/8)");
    }
    if (first == 0x20 && (a[1] & 0xff) == 0x01 && (a[2] & 0xff) == 0x0d && (a[3] & 0xff) == 0xb8) {
      return Optional.of("documentation (2001:db8::/32)");
    }
    if (first == 0x01 && isZero(a, 1, 7)) {
      return Optional.of("discard-only (100::/64)");
    }
    if ((first & 0xe0) != 0x20) {
      // Only 2000::/3 is global unicast today.
      return Optional.of("not global unicast (outside 2000::/3)");
    }
    return Optional.empty();
  }

  private static Optional<String> refusal4(byte[] a) {
    int b0 = a[0] & 0xff;
    int b1 = a[1] & 0xff;
    int b2 = a[2] & 0xff;
    if (b0 == 0) {
      return Optional.of("this network (0.0.0.0/8)");
    }
    if (b0 == 127) {
      return Optional.of("loopback (127.0.0.0/8)");
    }
    if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
      return Optional.of("private (RFC 1918)");
    }
    if (b0 == 100 && (b1 & 0xc0) == 64) {
      return Optional.of("shared address space (100.64.0.0/10)");
    }
    if (b0 == 169 && b1 == 254) {
      return Optional.of("link-local (169.254.0.0/16), where metadata servers answer");
    }
    if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) {
      return Optional.of(b2 == 0 ? "IETF protocol assignments (192.0.0.0/24)" : "documentation");
    }
    if (b0 == 198 && (b1 & 0xfe) == 18) {
      return Optional.of("benchmarking (198.18.0.0/15)");
    }
    if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113)) {
      return Optional.of("documentation");
    }
    if (b0 >= 224 && b0 <= 239) {
      return Optional.of("multicast (224.0.0.0/4)");
    }
    if (b0 >= 240) {
      return Optional.of(b0 == 255 && b1 == 255 ? "broadcast" : "reserved (240.0.0.0/4)");
    }
    return Optional.empty();
  }

  /** The IPv4 address an IPv6 address carries in one of the forms that reach it, if any. */
  static Optional<byte[]> embeddedIpv4(byte[] a) {
    if (isZero(a, 0, 9) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
      return Optional.of(slice(a, 12)); // ::ffff:a.b.c.d, mapped
    }
    if (isZero(a, 0, 11) && !(isZero(a, 12, 14) && ((a[15] & 0xff) <= 1))) {
      return Optional.of(slice(a, 12)); // ::a.b.c.d, compatible (deprecated, still routed by some)
    }
    if ((a[0] & 0xff) == 0x00
        && (a[1] & 0xff) == 0x64
        && (a[2] & 0xff) == 0xff
        && (a[3] & 0xff) == 0x9b
        && isZero(a, 4, 11)) {
      return Optional.of(slice(a, 12)); // 64:ff9b::a.b.c.d, NAT64
    }
    if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02) {
      return Optional.of(new byte[] {a[2], a[3], a[4], a[5]}); // 2002:aabb:ccdd::, 6to4
    }
    if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x01 && a[2] == 0 && a[3] == 0) {
      // Teredo: the client's address is the last 32 bits, inverted.
      return Optional.of(new byte[] {(byte) ~a[12], (byte) ~a[13], (byte) ~a[14], (byte) ~a[15]});
    }
    return Optional.empty();
  }

  private static byte[] slice(byte[] a, int from) {
    return new byte[] {a[from], a[from + 1], a[from + 2], a[from + 3]};
  }

  private static boolean isZero(byte[] a, int from, int to) {
    for (int i = from; i <= to; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code host} is an address literal that {@link #literal} parses without a lookup. */
  public static boolean isLiteral(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        || (host.contains(":") && host.matches("[0-9a-fA-F:.]+"));
  }

  /** An address literal, parsed without any lookup (for tests and for URLs that name one). */
  public static InetAddress literal(String text) {
    try {
      // A dotted quad, or anything with a colon (IPv6): a name of hex letters such as cafe.be
      // must not reach getByName, which would look it up.
      boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      boolean v6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
      if (!v4 && !v6) {
        throw new IllegalArgumentException("not an address literal: " + text);
      }
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address literal: " + text, e);
    }
  }
}
