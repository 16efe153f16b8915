package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.auth.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A registered receiver of webhooks: {@code webhooks/{id}}.
 *
 * @param ownerUid whose events it receives; empty for a project endpoint (an admin's, for every
 *     user's events)
 * @param events the event types it subscribes to ({@link WebhookEvents})
 * @param failingSince when the first of an unbroken run of failed deliveries was given up or first
 *     retried; cleared by a success
 * @param disabledReason why it was disabled: no deliveries are sent while present
 */
public record WebhookEndpoint(
    String id,
    Optional<String> ownerUid,
    String url,
    List<String> events,
    SigningSecrets secrets,
    Optional<Instant> failingSince,
    Optional<String> disabledReason,
    Instant createdAt,
    Instant updatedAt) {

  public WebhookEndpoint {
    events = List.copyOf(events);
  }

  public boolean enabled() {
    return disabledReason.isEmpty();
  }

  public boolean isProjectEndpoint() {
    return ownerUid.isEmpty();
  }

  /** Whether an event of {@code type} about {@code uid}'s data goes to this endpoint. */
  public boolean receives(String type, String uid) {
    return enabled() && events.contains(type) && ownerUid.map(uid::equals).orElse(true);
  }

  /** A user manages their own endpoints; project endpoints are the admins'. */
  public boolean manageableBy(Principal caller) {
    return ownerUid.map(caller.uid()::equals).orElse(caller.hasRole(Principal.ADMIN));
  }

  WebhookEndpoint failing(Instant now) {
    return new WebhookEndpoint(
        id,
        ownerUid,
        url,
        events,
        secrets,
        Optional.of(failingSince.orElse(now)),
        disabledReason,
        createdAt,
        now);
  }

  WebhookEndpoint succeeding(Instant now) {
    return new WebhookEndpoint(
        id, ownerUid, url, events, secrets, Optional.empty(), disabledReason, createdAt, now);
  }

  WebhookEndpoint disabled(String why, Instant now) {
    return new WebhookEndpoint(
        id, ownerUid, url, events, secrets, failingSince, Optional.of(why), createdAt, now);
  }

  WebhookEndpoint changed(
      String newUrl,
      List<String> newEvents,
      boolean enable,
      SigningSecrets newSecrets,
      Instant now) {
    return new WebhookEndpoint(
        id,
        ownerUid,
        newUrl,
        newEvents,
        newSecrets,
        enable ? Optional.empty() : failingSince,
        enable ? Optional.empty() : disabledReason,
        createdAt,
        now);
  }
}
