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

  private Topics() {}
}
