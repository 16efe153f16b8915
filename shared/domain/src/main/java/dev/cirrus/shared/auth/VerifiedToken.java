package dev.cirrus.shared.auth;

import java.time.Instant;

/** A token that passed verification, with the instant after which it must not be trusted. */
public record VerifiedToken(Principal principal, Instant expiresAt) {
  public VerifiedToken {
    if (principal == null || expiresAt == null) {
      throw new IllegalArgumentException("principal and expiresAt are required");
    }
  }
}
