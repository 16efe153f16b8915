package dev.cirrus.functions.notify;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.adapter.fcm.FcmPushSender;
import dev.cirrus.shared.adapter.firestore.FirestoreDeliveryLog;
import dev.cirrus.shared.adapter.firestore.FirestoreEventClaims;
import dev.cirrus.shared.adapter.firestore.FirestoreNotificationStore;
import dev.cirrus.shared.adapter.firestore.FirestoreUserStore;
import dev.cirrus.shared.events.PubSubEnvelope;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.notifications.NotificationRequestDecoder;
import dev.cirrus.shared.notifications.Notifier;
import dev.cirrus.shared.notifications.NotifyDispatcher;
import dev.cirrus.shared.notifications.NotifyDispatcher.Handled;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * Pub/Sub-triggered function on {@code file-events} and {@code notification-requests}: in-app
 * notifications and FCM pushes. Returning acknowledges the message, throwing asks for a redelivery,
 * which only transient failures do.
 */
public final class NotifyFunction implements CloudEventsFunction {
  private final NotifyDispatcher dispatcher;
  private final JsonCodec json;
  private final StructuredLogger log;
  private final Clock clock;

  /** Used by the Functions Framework: production wiring from the environment. */
  public NotifyFunction() {
    this(Platform.fromEnvironment("notify"));
  }

  private NotifyFunction(Platform platform) {
    this(dispatcher(platform), platform.json(), platform.log(), platform.clock());
  }

  /** Built from the dispatcher and what it logs with, so a test needs no Google client. */
  NotifyFunction(NotifyDispatcher dispatcher, JsonCodec json, StructuredLogger log, Clock clock) {
    this.dispatcher = dispatcher;
    this.json = json;
    this.log = log;
    this.clock = clock;
  }

  /** The composition root: Firestore adapters and FCM through the Admin SDK. */
  private static NotifyDispatcher dispatcher(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE));
    FirestoreEventClaims claims = new FirestoreEventClaims(platform.clients().firestore());
    Notifier notifier =
        new Notifier(
            new Notifier.Ports(
                new FirestoreUserStore(platform.clients().firestore()),
                new FirestoreNotificationStore(platform.clients().firestore()),
                new FirestoreDeliveryLog(platform.clients().firestore()),
                new FcmPushSender(platform.clients().messaging()),
                claims,
                platform.clock()),
            // Four batches of 500 at once: a request to 10,000 users in a fifth of the time.
            Executors.newFixedThreadPool(
                4,
                r -> {
                  Thread t = new Thread(r, "notify-batch");
                  t.setDaemon(true);
                  return t;
                }));
    return new NotifyDispatcher(
        notifier,
        new NotificationRequestDecoder(platform.json().mapper()),
        platform.json().mapper(),
        claims,
        platform.clock());
  }

  @Override
  public void accept(CloudEvent event) {
    StructuredLogger.Context context =
        new StructuredLogger.Context(event.getId(), Optional.empty());
    Optional<PubSubEnvelope> envelope =
        PubSubEnvelope.decode(
            json.mapper(), event.getData() == null ? new byte[0] : event.getData().toBytes());
    Optional<String> topic = PubSubEnvelope.topicOf(event.getSource());
    if (envelope.isEmpty() || topic.isEmpty()) {
      log.warn(context, "dropping a message that is not a Pub/Sub push envelope from a topic");
      return;
    }
    StructuredLogger.Context traced =
        new StructuredLogger.Context(event.getId(), envelope.get().trace());
    Instant publishedAt = event.getTime() == null ? clock.instant() : event.getTime().toInstant();
    Handled handled =
        dispatcher.handle(
            topic.get(), envelope.get().messageId(), envelope.get().data(), publishedAt);
    String line = topic.get() + " " + envelope.get().messageId() + ": " + handled;
    if (handled instanceof Handled.Rejected) {
      log.warn(traced, line);
    } else {
      log.info(traced, line);
    }
  }
}
