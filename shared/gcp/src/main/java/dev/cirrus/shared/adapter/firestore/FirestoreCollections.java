package dev.cirrus.shared.adapter.firestore;

/**
 * Every collection Cirrus keeps in Firestore, named once. The security rules ({@code
 * emulator-config/firestore.rules}) and the indexes ({@code infra/firestore.tf}) use the same
 * names.
 */
final class FirestoreCollections {
  /** {@code users/{uid}}: profile, settings, quota. */
  static final String USERS = "users";

  /** {@code users/{uid}/devices/{id}}. */
  static final String DEVICES = "devices";

  /** {@code users/{uid}/notifications/{id}}: what the app lists and listens to. */
  static final String NOTIFICATIONS = "notifications";

  /** {@code uploads/{id}}. */
  static final String UPLOADS = "uploads";

  /** {@code files/{id}}: a file's id is its upload's id. */
  static final String FILES = "files";

  /**
   * {@code processedEvents/{sha256(key)}}: event claims and push delivery records, deleted by a TTL
   * policy.
   */
  static final String PROCESSED_EVENTS = "processedEvents";

  /** {@code deadLetters/{messageId}}: what Pub/Sub could not deliver. */
  static final String DEAD_LETTERS = "deadLetters";

  /** {@code auditLog/{id}}: every admin action, who did it and when. */
  static final String AUDIT_LOG = "auditLog";

  /** {@code adminRegistry/admins}: who holds the admin role, as one document. */
  static final String ADMIN_REGISTRY = "adminRegistry";

  /** {@code accountDeletions/{uid}}: each account deletion job, kept when it is done. */
  static final String ACCOUNT_DELETIONS = "accountDeletions";

  /** {@code accountExports/{uid}}: each user's latest data export job. */
  static final String ACCOUNT_EXPORTS = "accountExports";

  /** {@code webhooks/{id}}: registered webhook endpoints. */
  static final String WEBHOOKS = "webhooks";

  /** {@code webhookDeliveries/{endpointId}_{deliveryId}}: each delivery and its attempts. */
  static final String WEBHOOK_DELIVERIES = "webhookDeliveries";

  private FirestoreCollections() {}
}
