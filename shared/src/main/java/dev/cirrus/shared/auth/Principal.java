package dev.cirrus.shared.auth;

import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: a verified Firebase user.
 *
 * @param uid Firebase user id
 * @param email the token's email claim, if any
 * @param roles from the {@code roles} custom claim; unknown roles are kept, they grant nothing
 */
public record Principal(String uid, Optional<String> email, Set<String> roles) {
  public static final String ADMIN = "admin";

  public Principal {
    if (uid == null || uid.isBlank() || uid.length() > 128) {
      throw new IllegalArgumentException("uid must be 1-128 characters");
    }
    email = email == null ? Optional.empty() : email;
    roles = roles == null ? Set.of() : Set.copyOf(roles);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
