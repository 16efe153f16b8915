package dev.cirrus.shared.auth;

import java.util.Map;
import java.util.Optional;

/**
 * How much an account has proven. Anyone can create Firebase accounts with an app's public API key,
 * anonymous ones included, so an account that has proven nothing must not get what a verified one
 * gets: storage is capped by standing ({@code QuotaTier}).
 */
public enum Standing {
  /** A verified email, a phone number, a federated provider, or a custom token we minted. */
  VERIFIED,
  /** An email and password account whose address was never confirmed. */
  UNVERIFIED,
  /** Firebase anonymous sign-in. */
  ANONYMOUS;

  /**
   * From an ID token's claims: {@code firebase.sign_in_provider} and {@code email_verified}.
   *
   * @param firebase the token's {@code firebase} claim, if it has one
   */
  public static Standing of(Optional<String> email, Object emailVerified, Object firebase) {
    Object provider = firebase instanceof Map<?, ?> map ? map.get("sign_in_provider") : null;
    if ("anonymous".equals(provider)) {
      return ANONYMOUS;
    }
    if (email.isPresent() && !Boolean.TRUE.equals(emailVerified)) {
      return UNVERIFIED;
    }
    return VERIFIED;
  }
}
