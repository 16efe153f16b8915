package dev.cirrus.functions.accountdeletion;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.accounts.AccountEraser;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.MalformedEvent;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.platform.PubSubTrigger;
import dev.cirrus.shared.platform.PubSubTrigger.Outcome;
import io.cloudevents.CloudEvent;
import java.util.Map;
import java.util.Set;

/**
 * Pub/Sub-triggered function on {@code account-deletions}: one bounded step of a user's account
 * deletion per message ({@link AccountEraser}); while there is more, it publishes the next message
 * itself. A failed step is retried by Pub/Sub; the sweeper re-drives a job whose messages stopped.
 */
public final class AccountDeletionFunction implements CloudEventsFunction {
  private final PubSubTrigger trigger;

  /** Used by the Functions Framework: production wiring from the environment. */
  public AccountDeletionFunction() {
    this(Platform.fromEnvironment("account-deletion"));
  }

  private AccountDeletionFunction(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.STORAGE));
    AccountEraser eraser = eraser(platform);
    EventBus events = platform.adapters().eventBus();
    MessageCodec messages = platform.messages();
    this.trigger =
        platform.pubSubTrigger(
            "account-deletions",
            message -> {
              String uid;
              try {
                uid = messages.readAccountDeletion(message.data());
              } catch (MalformedEvent e) {
                return Outcome.warn("not an account deletion: " + e.getMessage());
              }
              if (!eraser.step(uid)) {
                return Outcome.done("deletion of " + uid + ": nothing more to do");
              }
              events.publish(
                  Topics.ACCOUNT_DELETIONS, Map.of("uid", uid), messages.accountDeletion(uid));
              return Outcome.done("deletion of " + uid + ": step taken, next one queued");
            });
  }

  /** The composition root: Firestore, Cloud Storage and Firebase Auth adapters. */
  private static AccountEraser eraser(Platform platform) {
    return new AccountEraser(
        new AccountEraser.Ports(
            platform.adapters().accountDeletions(),
            platform.adapters().accountExports(),
            platform.adapters().webhookEndpoints(),
            platform.adapters().webhookDeliveries(),
            platform.adapters().uploads(),
            platform.adapters().files(),
            platform.adapters().objectStorage(),
            platform.adapters().notifications(),
            platform.adapters().users(),
            platform.adapters().deliveries(),
            platform.adapters().claims(),
            platform.userCache(),
            platform.adapters().identity(),
            platform.clock()),
        AccountEraser.Settings.defaults(
            platform.config().uploadsBucket(), platform.config().filesBucket()));
  }

  @Override
  public void accept(CloudEvent event) {
    trigger.accept(event);
  }
}
