package dev.cirrus.shared.auth;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** Reads the {@code roles} custom claim, which admins set as a list of role names. */
public final class RolesClaim {
  public static final String NAME = "roles";

  /** The roles Cirrus grants something to; an admin may set only these. */
  public static final Set<String> KNOWN = Set.of(Principal.ADMIN);

  private RolesClaim() {}

  /** The role names in the claim; anything that is not a list of short strings grants nothing. */
  public static Set<String> parse(Object claim) {
    Set<String> roles = new TreeSet<>();
    if (claim instanceof Collection<?> values) {
      for (Object value : values) {
        if (value instanceof String role && role.matches("[a-z][a-z0-9-]{0,31}")) {
          roles.add(role);
        }
      }
    }
    return roles;
  }
}
