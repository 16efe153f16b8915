package dev.cirrus.shared.admin;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/** Port: the identity provider's accounts (Firebase Auth), as an administrator changes them. */
public interface IdentityAdmin {

  Optional<Account> find(String uid);

  Optional<Account> findByEmail(String email);

  /**
   * Sets the {@code roles} custom claim, keeping the account's other custom claims. Tokens issued
   * before the change still carry the old roles: see {@link #revokeSessions}.
   *
   * @throws dev.cirrus.shared.error.NotFound when the account does not exist
   */
  void setRoles(String uid, Set<String> roles);

  /**
   * Makes every token issued to the account so far invalid, its refresh tokens included, so that
   * its next request carries a token minted after this call (with the claims as they are now).
   * Firebase counts in whole seconds: a token issued in the same second as the revocation stays
   * valid, in production as with the emulator.
   */
  void revokeSessions(String uid);

  /**
   * Disables or enables the account; a disabled account's tokens are refused where revocation is
   * checked.
   */
  void setDisabled(String uid, boolean disabled);

  /** Deletes the account; an account that is already gone is not an error. */
  void delete(String uid);

  /** Which of {@code uids} (at most 100) still have an account. */
  Set<String> existing(Collection<String> uids);
}
