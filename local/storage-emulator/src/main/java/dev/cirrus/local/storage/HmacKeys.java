package dev.cirrus.local.storage;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * HMAC keys of service accounts, per project, with the service's life cycle: ACTIVE and INACTIVE by
 * update, DELETED only from INACTIVE, deleted keys kept and listed on request. The secret is handed
 * out once at creation and never kept: the emulator verifies no HMAC signature.
 */
public final class HmacKeys {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Key> keys = new TreeMap<>();

  /** A key's metadata; {@code version} counts its updates and makes its etag. */
  public record Key(
      String accessId,
      String project,
      String serviceAccountEmail,
      String state,
      Instant timeCreated,
      Instant updated,
      long version) {}

  /** A new key with its secret, which only this answer carries. */
  public record Created(Key key, String secret) {}

  public HmacKeys(Clock clock) {
    this.clock = clock;
  }

  public synchronized Created create(String project, String serviceAccountEmail) {
    if (serviceAccountEmail == null || serviceAccountEmail.isBlank()) {
      throw StorageError.required("Required parameter: serviceAccountEmail");
    }
    if (!EMAIL.matcher(serviceAccountEmail).matches()) {
      throw StorageError.invalid("Invalid service account email: '" + serviceAccountEmail + "'.");
    }
    StringBuilder id = new StringBuilder("GOOG1E");
    while (id.length() < 61) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    byte[] secret = new byte[30];
    random.nextBytes(secret);
    Instant now = clock.instant();
    Key key = new Key(id.toString(), project, serviceAccountEmail, "ACTIVE", now, now, 1);
    keys.put(key.accessId(), key);
    return new Created(key, Base64.getEncoder().encodeToString(secret));
  }

  /**
   * @throws StorageError 404 when the project has no such key
   */
  public synchronized Key get(String project, String accessId) {
    Key key = keys.get(accessId);
    if (key == null || !key.project().equals(project)) {
      throw StorageError.notFound("Access ID not found in project: " + accessId);
    }
    return key;
  }

  /** Keys of a project in access id order, from {@code after} (exclusive). */
  public synchronized List<Key> list(
      String project, String serviceAccountEmail, boolean showDeleted, String after) {
    return keys.values().stream()
        .filter(k -> k.project().equals(project))
        .filter(
            k -> serviceAccountEmail == null || k.serviceAccountEmail().equals(serviceAccountEmail))
        .filter(k -> showDeleted || !k.state().equals("DELETED"))
        .filter(k -> after == null || k.accessId().compareTo(after) > 0)
        .toList();
  }

  /**
   * Moves a key between ACTIVE and INACTIVE.
   *
   * @param etag the etag the client read, or null
   * @throws StorageError 400 for another state or a deleted key, 412 for a stale etag
   */
  public synchronized Key update(String project, String accessId, String state, String etag) {
    Key key = get(project, accessId);
    if (etag != null && !etag.equals(etag(key))) {
      throw StorageError.preconditionFailed(
          "The etag does not match the key's: it was changed since it was read.");
    }
    if (!"ACTIVE".equals(state) && !"INACTIVE".equals(state)) {
      throw StorageError.invalid(
          "Invalid value for state: '" + state + "'. Use ACTIVE or INACTIVE.");
    }
    if (key.state().equals("DELETED")) {
      throw StorageError.invalid("A deleted key cannot be updated.");
    }
    Key next =
        new Key(
            key.accessId(),
            key.project(),
            key.serviceAccountEmail(),
            state,
            key.timeCreated(),
            clock.instant(),
            key.version() + 1);
    keys.put(accessId, next);
    return next;
  }

  /**
   * @throws StorageError 400 unless the key is INACTIVE
   */
  public synchronized void delete(String project, String accessId) {
    Key key = get(project, accessId);
    if (!key.state().equals("INACTIVE")) {
      throw StorageError.invalid("Cannot delete keys in '" + key.state() + "' state.");
    }
    keys.put(
        accessId,
        new Key(
            key.accessId(),
            key.project(),
            key.serviceAccountEmail(),
            "DELETED",
            key.timeCreated(),
            clock.instant(),
            key.version() + 1));
  }

  public synchronized void clear() {
    keys.clear();
  }

  public static String etag(Key key) {
    return Base64.getEncoder().encodeToString(Long.toString(key.version()).getBytes());
  }
}
