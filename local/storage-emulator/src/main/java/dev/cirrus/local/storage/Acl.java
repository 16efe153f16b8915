package dev.cirrus.local.storage;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One access control entry of a bucket, a bucket's default object ACL or an object: who ({@code
 * entity}, in the service's spelling) has which role.
 */
public record Acl(String entity, String role) {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final Pattern ID = Pattern.compile("^[0-9a-f]{1,128}$");
  private static final Pattern DOMAIN =
      Pattern.compile("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");
  private static final Pattern PROJECT =
      Pattern.compile("^project-(owners|editors|viewers)-[a-z0-9-]{1,64}$");

  /** Which list an entry belongs to: buckets grant WRITER, objects do not. */
  public enum Scope {
    BUCKET(Set.of("OWNER", "WRITER", "READER")),
    OBJECT(Set.of("OWNER", "READER"));

    private final Set<String> roles;

    Scope(Set<String> roles) {
      this.roles = roles;
    }
  }

  /**
   * An entry as a client asks for it.
   *
   * @throws StorageError 400 for an entity the service does not know how to name, or a role the
   *     scope has not got
   */
  public static Acl of(String entity, String role, Scope scope) {
    if (entity == null || entity.isBlank()) {
      throw StorageError.required("Required: entity");
    }
    if (role == null || role.isBlank()) {
      throw StorageError.required("Required: role");
    }
    if (!validEntity(entity)) {
      throw StorageError.invalid("Invalid value for entity: '" + entity + "'.");
    }
    String upper = role.toUpperCase(Locale.ROOT);
    if (!scope.roles.contains(upper)) {
      throw StorageError.invalid("Invalid value for role: '" + role + "'.");
    }
    return new Acl(entity, upper);
  }

  /**
   * The service's refusal of an ACL on a bucket with uniform bucket-level access.
   *
   * @param what "a bucket", "an object", or "bucket policy" (the default object ACL)
   */
  public static StorageError refusedOnUniformAccess(String verb, String what) {
    String subject =
        what.equals("bucket policy")
            ? "Cannot use ACL API to " + verb + " bucket policy"
            : "Cannot " + verb + " legacy ACL for " + what;
    return StorageError.invalid(
        subject
            + " when uniform bucket-level access is enabled. Read more at"
            + " https://cloud.google.com/storage/docs/uniform-bucket-level-access.");
  }

  /** Whether {@code entity} is written the way the service names grantees. */
  public static boolean validEntity(String entity) {
    if (entity.equals("allUsers") || entity.equals("allAuthenticatedUsers")) {
      return true;
    }
    if (entity.startsWith("user-") || entity.startsWith("group-")) {
      String who = entity.substring(entity.indexOf('-') + 1);
      return EMAIL.matcher(who).matches() || ID.matcher(who).matches();
    }
    if (entity.startsWith("domain-")) {
      return DOMAIN.matcher(entity.substring("domain-".length())).matches();
    }
    return PROJECT.matcher(entity).matches();
  }
}
