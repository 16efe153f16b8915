package dev.cirrus.functions.notify;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.json.NotificationRequestDecoder;
import dev.cirrus.shared.notifications.Notifier;
import dev.cirrus.shared.notifications.NotifyDispatcher;
import dev.cirrus.shared.notifications.NotifyDispatcher.Handled;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.platform.PubSubMessage;
import dev.cirrus.shared.platform.PubSubTrigger;
import dev.cirrus.shared.platform.PubSubTrigger.Outcome;
import io.cloudevents.CloudEvent;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * Pub/Sub-triggered function on {@code file-events} and {@code notification-requests}: in-app
 * notifications and FCM pushes ({@link NotifyDispatcher}).
 */
public final class NotifyFunction implements CloudEventsFunction {
  private final PubSubTrigger trigger;

  /** Used by the Functions Framework: production wiring from the environment. */
  public NotifyFunction() {
    this(Platform.fromEnvironment("notify"));
  }

  private NotifyFunction(Platform platform) {
    NotifyDispatcher dispatcher = dispatcher(platform);
    this.trigger = platform.pubSubTrigger("notify", message -> handle(dispatcher, message));
  }

  /** The composition root: Firestore adapters and FCM through the Admin SDK. */
  private static NotifyDispatcher dispatcher(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE));
    Notifier notifier =
        new Notifier(
            new Notifier.Ports(
                platform.adapters().users(),
                platform.adapters().notifications(),
                platform.adapters().deliveries(),
                platform.adapters().push(),
                platform.adapters().claims(),
                platform.clock()),
            // Four batches of 500 at once: a request to 10,000 users in a fifth of the time, each
            // in the trace of the message it serves.
            platform
                .tracer()
                .carrying(
                    Executors.newFixedThreadPool(
                        4,
                        r -> {
                          Thread t = new Thread(r, "notify-batch");
                          t.setDaemon(true);
                          return t;
                        })));
    return new NotifyDispatcher(
        notifier,
        new NotificationRequestDecoder(platform.json().mapper()),
        platform.messages(),
        platform.adapters().claims(),
        platform.clock());
  }

  private static Outcome handle(NotifyDispatcher dispatcher, PubSubMessage message) {
    if (message.topic().isEmpty()) {
      return Outcome.warn("dropped: the event names no topic");
    }
    Handled handled =
        dispatcher.handle(
            message.topic().get(), message.messageId(), message.data(), message.publishedAt());
    String line = message.topic().get() + " " + handled;
    return handled instanceof Handled.Rejected ? Outcome.warn(line) : Outcome.done(line);
  }

  @Override
  public void accept(CloudEvent event) {
    trigger.accept(event);
  }
}
