package dev.cirrus.shared.auth;

import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PermissionDenied;

/**
 * The ownership and role rules every function applies the same way. Objects owned by someone else
 * are reported as missing (404), not forbidden (403), so ids cannot be probed.
 */
public final class AccessPolicy {

  /** Fails with 403 unless the caller holds {@code role}. */
  public void requireRole(Principal caller, String role) {
    if (!caller.hasRole(role)) {
      throw new PermissionDenied("this operation needs the '" + role + "' role");
    }
  }

  /** True when the caller owns the object or is an admin. */
  public boolean canAccess(Principal caller, String ownerUid) {
    return caller.uid().equals(ownerUid) || caller.hasRole(Principal.ADMIN);
  }

  /** Fails with 404 unless the caller owns the object or is an admin. */
  public void requireOwnerOrAdmin(Principal caller, String ownerUid, String what) {
    if (!canAccess(caller, ownerUid)) {
      throw new NotFound(what + " not found");
    }
  }
}
