package dev.cirrus.shared.adapter.fcm;

import com.google.firebase.ErrorCode;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import com.google.firebase.messaging.SendResponse;
import dev.cirrus.shared.notifications.PushSender;
import dev.cirrus.shared.notifications.StoredNotification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link PushSender} on FCM through the Admin SDK's {@code sendEach}, at most {@value #MAX_BATCH}
 * messages per call as FCM allows. Each message carries the notification and the data payload, with
 * the Android and APNs options a visible, replaceable notification needs: the notification id is
 * the Android tag and the APNs collapse id, so should a device ever get a notification twice it
 * shows once.
 */
public final class FcmPushSender implements PushSender {
  static final int MAX_BATCH = 500;
  private static final Duration TIME_TO_LIVE = Duration.ofDays(1);
  private static final Set<ErrorCode> TRANSIENT =
      Set.of(
          ErrorCode.UNAVAILABLE,
          ErrorCode.INTERNAL,
          ErrorCode.DEADLINE_EXCEEDED,
          ErrorCode.RESOURCE_EXHAUSTED,
          ErrorCode.UNKNOWN,
          ErrorCode.ABORTED);

  private final Supplier<FirebaseMessaging> messaging;

  public FcmPushSender(Supplier<FirebaseMessaging> messaging) {
    this.messaging = messaging;
  }

  @Override
  public List<Result> send(List<Push> pushes) {
    List<Result> results = new ArrayList<>(pushes.size());
    for (int start = 0; start < pushes.size(); start += MAX_BATCH) {
      List<Push> batch = pushes.subList(start, Math.min(pushes.size(), start + MAX_BATCH));
      List<Message> messages = batch.stream().map(FcmPushSender::message).toList();
      try {
        BatchResponse response = messaging.get().sendEach(messages);
        for (int i = 0; i < batch.size(); i++) {
          SendResponse sent = response.getResponses().get(i);
          results.add(
              sent.isSuccessful()
                  ? new Result(batch.get(i), Status.SENT, sent.getMessageId())
                  : classify(batch.get(i), sent.getException()));
        }
      } catch (FirebaseMessagingException e) {
        // The whole call failed before any message was tried: all of them are worth a retry.
        for (Push push : batch) {
          results.add(new Result(push, Status.TRANSIENT, e.getMessage()));
        }
      }
    }
    return results;
  }

  static Message message(Push push) {
    StoredNotification n = push.notification();
    return Message.builder()
        .setToken(push.token())
        .setNotification(Notification.builder().setTitle(n.title()).setBody(n.body()).build())
        .putAllData(n.data())
        .putData("notificationId", n.id())
        .putData("notificationType", n.type())
        .setAndroidConfig(
            AndroidConfig.builder()
                .setPriority(AndroidConfig.Priority.HIGH)
                .setTtl(TIME_TO_LIVE.toMillis())
                .setNotification(AndroidNotification.builder().setTag(n.id()).build())
                .build())
        .setApnsConfig(
            ApnsConfig.builder()
                .putHeader("apns-priority", "10")
                .putHeader("apns-collapse-id", n.id())
                .setAps(Aps.builder().setSound("default").setThreadId(n.type()).build())
                .build())
        .build();
  }

  /**
   * FCM's verdict on one message. A token is forgotten only when FCM says it is: {@code
   * UNREGISTERED}, {@code SENDER_ID_MISMATCH} (it belongs to another project), or {@code
   * INVALID_ARGUMENT} naming {@code message.token}; an invalid argument elsewhere is our message's
   * fault, and pruning a good token for it would lose the device.
   */
  static Result classify(Push push, FirebaseMessagingException e) {
    MessagingErrorCode code = e.getMessagingErrorCode();
    String detail = (code == null ? e.getErrorCode().name() : code.name()) + ": " + e.getMessage();
    if (code == MessagingErrorCode.UNREGISTERED || code == MessagingErrorCode.SENDER_ID_MISMATCH) {
      return new Result(push, Status.TOKEN_GONE, detail);
    }
    if (code == MessagingErrorCode.INVALID_ARGUMENT) {
      IncomingHttpResponse response = e.getHttpResponse();
      boolean aboutToken =
          response != null
              && response.getContent() != null
              && response.getContent().contains("\"message.token\"");
      return new Result(push, aboutToken ? Status.TOKEN_GONE : Status.FAILED, detail);
    }
    if (code == MessagingErrorCode.UNAVAILABLE
        || code == MessagingErrorCode.INTERNAL
        || code == MessagingErrorCode.QUOTA_EXCEEDED
        || (code == null && TRANSIENT.contains(e.getErrorCode()))) {
      return new Result(push, Status.TRANSIENT, detail);
    }
    return new Result(push, Status.FAILED, detail);
  }
}
