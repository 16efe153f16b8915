package dev.cirrus.shared.auth;

import dev.cirrus.shared.error.Unauthenticated;

/** Port: turns a bearer token into a principal, or refuses it. */
public interface TokenVerifier {
  /**
   * @throws Unauthenticated when the token is malformed, forged, expired, revoked or for another
   *     project
   */
  VerifiedToken verify(String idToken);

  /**
   * Loads and connects what the first verification would, so that a cold instance does it while it
   * starts rather than on its first request. Never fails: the request that needs it will.
   */
  default void warmUp() {}
}
