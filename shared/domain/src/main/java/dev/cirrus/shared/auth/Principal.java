package dev.cirrus.shared.auth;

import dev.cirrus.shared.error.Unauthenticated;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: a verified Firebase user.
 *
 * @param uid Firebase user id, of the shape {@link Uid} checks
 * @param email the token's email claim, if any
 * @param roles from the {@code roles} custom claim; unknown roles are kept, they grant nothing
 * @param standing what the account has proven, which caps its storage
 */
public record Principal(String uid, Optional<String> email, Set<String> roles, Standing standing) {
  public static final String ADMIN = "admin";

  public Principal {
    new Uid(uid); // validates
    email = email == null ? Optional.empty() : email;
    roles = roles == null ? Set.of() : Set.copyOf(roles);
    standing = standing == null ? Standing.VERIFIED : standing;
  }

  /** A principal whose standing is not in question (an admin's tools, a service's own calls). */
  public Principal(String uid, Optional<String> email, Set<String> roles) {
    this(uid, email, roles, Standing.VERIFIED);
  }

  /**
   * The principal a verified token names.
   *
   * @throws Unauthenticated when its user id is not one Cirrus can store (a custom-token user named
   *     with a slash, say): the caller is refused, never a server error
   */
  public static Principal fromToken(
      String uid, Optional<String> email, Set<String> roles, Standing standing) {
    try {
      return new Principal(uid, email, roles, standing);
    } catch (IllegalArgumentException e) {
      throw new Unauthenticated("invalid-token", "the token's user id cannot be used here");
    }
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
