package dev.cirrus.shared.admin;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A Firebase Auth account as an admin sees it.
 *
 * @param roles the {@code roles} custom claim, as the next token will carry it
 * @param tokensValidAfter tokens issued before it are revoked (Firebase's {@code validSince})
 */
public record Account(
    String uid,
    Optional<String> email,
    boolean emailVerified,
    boolean disabled,
    Set<String> roles,
    Optional<Instant> createdAt,
    Optional<Instant> lastSignInAt,
    Optional<Instant> tokensValidAfter) {
  public Account {
    email = email == null ? Optional.empty() : email;
    roles = roles == null ? Set.of() : Set.copyOf(roles);
    createdAt = createdAt == null ? Optional.empty() : createdAt;
    lastSignInAt = lastSignInAt == null ? Optional.empty() : lastSignInAt;
    tokensValidAfter = tokensValidAfter == null ? Optional.empty() : tokensValidAfter;
  }

  public Account withRoles(Set<String> newRoles) {
    return new Account(
        uid, email, emailVerified, disabled, newRoles, createdAt, lastSignInAt, tokensValidAfter);
  }

  public Account withDisabled(boolean newDisabled) {
    return new Account(
        uid, email, emailVerified, newDisabled, roles, createdAt, lastSignInAt, tokensValidAfter);
  }

  public Account withTokensValidAfter(Instant instant) {
    return new Account(
        uid, email, emailVerified, disabled, roles, createdAt, lastSignInAt, Optional.of(instant));
  }
}
