package dev.cirrus.shared.users;

import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.ids.Sha256;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A registered push target. Its id is a hash of the token, so registering the same token twice
 * lands on the same document and ids in URLs reveal nothing of the token.
 */
public record Device(
    String id, String token, DevicePlatform platform, Instant createdAt, Instant lastSeenAt) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final int MAX_TOKEN_LENGTH = 4096;

  public Device {
    requireValidId(id);
    if (!id.equals(idFor(token))) {
      throw new IllegalArgumentException("device id must be the hash of its token");
    }
  }

  /** A new registration of {@code token}, validated as a client-supplied field. */
  public static Device register(String token, DevicePlatform platform, Instant now) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw BadRequest.invalidField("token", "must be 1-" + MAX_TOKEN_LENGTH + " characters");
    }
    if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw BadRequest.invalidField("token", "must be printable ASCII without spaces");
    }
    return new Device(idFor(token), token, platform, now, now);
  }

  public static String idFor(String token) {
    return Sha256.base64Url(token);
  }

  /** Validates an id taken from a URL. */
  public static String requireValidId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw BadRequest.invalidParameter("id", "is not a device id");
    }
    return id;
  }
}
