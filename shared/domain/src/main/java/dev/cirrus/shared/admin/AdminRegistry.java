package dev.cirrus.shared.admin;

import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Port: who holds the {@code admin} role, kept beside the tokens' claims because Firebase Auth
 * cannot be asked who has a claim. Every grant and removal goes through it, so the rule that the
 * last admin stays can be decided in one transaction.
 */
public interface AdminRegistry {

  /** The uids holding the admin role. */
  Set<String> admins();

  /**
   * Replaces the set of admins with what {@code change} makes of it, atomically: {@code change} may
   * run more than once (a transaction that lost a race runs again), so it must only compute, and it
   * may throw to refuse, which leaves the set as it was.
   *
   * @return the set as the change left it
   */
  Set<String> update(UnaryOperator<Set<String>> change);
}
