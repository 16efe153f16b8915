package dev.cirrus.local.runner;

import java.util.List;

/**
 * Every function and topic of Cirrus, mirrored from {@code infra/}: the infra test checks that each
 * function here has its Terraform and each topic its resource.
 */
public final class FunctionCatalog {
  /** The topics of infra/pubsub.tf, created in the emulator at start. */
  public static final List<String> TOPICS =
      List.of(
          "upload-finalized",
          "file-events",
          "notification-requests",
          "maintenance-tick",
          "dead-letters",
          "account-deletions",
          "account-exports",
          "webhook-deliveries");

  public static final String DEAD_LETTER_TOPIC = "dead-letters";

  /** What Cloud Scheduler publishes to every five minutes; the local stack ticks it too. */
  public static final String MAINTENANCE_TICK_TOPIC = "maintenance-tick";

  /** Webhook deliveries, and the tick Cloud Scheduler publishes there every minute. */
  public static final String WEBHOOK_DELIVERIES_TOPIC = "webhook-deliveries";

  /** Where the uploads bucket's OBJECT_FINALIZE notifications go. */
  public static final String UPLOAD_FINALIZED_TOPIC = "upload-finalized";

  /** As in infra: five attempts, then the dead-letter topic. */
  public static final int MAX_DELIVERY_ATTEMPTS = 5;

  private FunctionCatalog() {}

  public static List<FunctionSpec> functions() {
    return List.of(
        FunctionSpec.http("users", "dev.cirrus.functions.users.UsersFunction"),
        FunctionSpec.http("uploads", "dev.cirrus.functions.uploads.UploadsFunction"),
        FunctionSpec.http("files", "dev.cirrus.functions.files.FilesFunction"),
        FunctionSpec.event(
            "process-upload",
            "dev.cirrus.functions.processupload.ProcessUploadFunction",
            List.of(UPLOAD_FINALIZED_TOPIC)),
        FunctionSpec.event(
            "notify",
            "dev.cirrus.functions.notify.NotifyFunction",
            List.of("file-events", "notification-requests")),
        FunctionSpec.http(
            "notifications", "dev.cirrus.functions.notifications.NotificationsFunction"),
        FunctionSpec.event(
            "dead-letters",
            "dev.cirrus.functions.deadletters.DeadLettersFunction",
            List.of(DEAD_LETTER_TOPIC)),
        FunctionSpec.event(
            "sweeper",
            "dev.cirrus.functions.sweeper.SweeperFunction",
            List.of(MAINTENANCE_TICK_TOPIC)),
        FunctionSpec.event(
            "account-deletion",
            "dev.cirrus.functions.accountdeletion.AccountDeletionFunction",
            List.of("account-deletions")),
        FunctionSpec.event(
            "account-export",
            "dev.cirrus.functions.accountexport.AccountExportFunction",
            List.of("account-exports")),
        FunctionSpec.event(
            "webhook-delivery",
            "dev.cirrus.functions.webhookdelivery.WebhookDeliveryFunction",
            List.of("file-events", "notification-requests", WEBHOOK_DELIVERIES_TOPIC)),
        // Last, and an HTTP function: the host is ready when the last one answers, and a probe
        // of an event function would be taken for a malformed event.
        FunctionSpec.http("admin", "dev.cirrus.functions.admin.AdminFunction"));
  }
}
