package dev.cirrus.shared.admin;

import dev.cirrus.shared.auth.Principal;

/**
 * Who does an admin action, and in which request: what the audit log records of the doer.
 *
 * @param principal the verified caller
 * @param requestId the request's id, as its log lines and {@code X-Request-Id} carry it
 */
public record Actor(Principal principal, String requestId) {
  public Actor {
    if (principal == null || requestId == null || requestId.isBlank()) {
      throw new IllegalArgumentException("an actor needs a principal and a request id");
    }
  }
}
