package dev.cirrus.shared.events;

import dev.cirrus.shared.notifications.NotificationRequest;
import dev.cirrus.shared.storage.StoredObject;
import java.util.Map;
import java.util.Optional;

/**
 * Port: how the messages Cirrus publishes and consumes look on the wire. The domain decides what a
 * message says; an adapter (JSON today) decides how it is spelled, so no domain class knows the
 * format. Decoding a body that is not what its topic carries throws {@link MalformedEvent}:
 * retrying cannot make it better.
 */
public interface MessageCodec {
  /** A {@code file-events} body. */
  byte[] fileEvent(FileEvent event);

  /** Reads a {@code file-events} body; its required fields are checked by the caller. */
  FileEvent readFileEvent(byte[] data);

  /** The object resource as Cloud Storage's JSON_API_V1 notification payload carries it. */
  byte[] storageObject(StoredObject object);

  /** Reads an {@code upload-finalized} message: its attributes and the object resource. */
  StorageObjectEvent readStorageObject(Map<String, String> attributes, byte[] data);

  /** An {@code account-deletions} body: whose deletion takes its next step. */
  byte[] accountDeletion(String uid);

  /** The uid an {@code account-deletions} body names. */
  String readAccountDeletion(byte[] data);

  /** An {@code account-exports} body: which export of whom takes its next step. */
  byte[] accountExport(String uid, String exportId);

  /** What an {@code account-exports} body names. */
  ExportStep readAccountExport(byte[] data);

  /** A {@code notification-requests} body, as another system would send it. */
  byte[] notificationRequest(NotificationRequest request);

  /** A {@code webhook-deliveries} body: which delivery to send now. */
  byte[] webhookDelivery(String endpointId, String deliveryId);

  /** What a {@code webhook-deliveries} body asks for. */
  WebhookStep readWebhookDelivery(byte[] data);

  /**
   * A {@code webhook-deliveries} message: one delivery to send, or (both empty) the tick that sends
   * every delivery whose retry is due.
   */
  record WebhookStep(Optional<String> endpointId, Optional<String> deliveryId) {
    public boolean isTick() {
      return endpointId.isEmpty();
    }
  }

  /** The export whose next step an {@code account-exports} message asks for. */
  record ExportStep(String uid, String exportId) {}
}
