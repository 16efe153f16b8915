package dev.cirrus.shared.events;

/** The topic names (docs/architecture.md); Terraform creates the same ones. */
public final class Topics {
  public static final String UPLOAD_FINALIZED = "upload-finalized";
  public static final String FILE_EVENTS = "file-events";
  public static final String NOTIFICATION_REQUESTS = "notification-requests";
  public static final String MAINTENANCE_TICK = "maintenance-tick";
  public static final String DEAD_LETTERS = "dead-letters";

  /** One message per step of an account deletion: {@code {"uid": ...}}. */
  public static final String ACCOUNT_DELETIONS = "account-deletions";

  /** One message per step of a data export: {@code {"uid": ..., "exportId": ...}}. */
  public static final String ACCOUNT_EXPORTS = "account-exports";

  /**
   * One message per webhook delivery to send, {@code {"endpointId": ..., "deliveryId": ...}}, and a
   * tick, {@code {"due": true}}, every minute: send every delivery whose retry is due.
   */
  public static final String WEBHOOK_DELIVERIES = "webhook-deliveries";

  private Topics() {}
}
