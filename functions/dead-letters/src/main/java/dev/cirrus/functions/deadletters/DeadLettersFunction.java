package dev.cirrus.functions.deadletters;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.deadletters.DeadLetter;
import dev.cirrus.shared.deadletters.DeadLetterService;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.platform.PubSubTrigger;
import dev.cirrus.shared.platform.PubSubTrigger.Outcome;
import io.cloudevents.CloudEvent;
import java.util.Set;

/**
 * Pub/Sub-triggered function on {@code dead-letters}: records each message Pub/Sub gave up on in
 * {@code deadLetters/{id}}, where admins list and re-drive them ({@code admin} function).
 */
public final class DeadLettersFunction implements CloudEventsFunction {
  private final PubSubTrigger trigger;

  /** Used by the Functions Framework: production wiring from the environment. */
  public DeadLettersFunction() {
    this(Platform.fromEnvironment("dead-letters"));
  }

  private DeadLettersFunction(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE));
    DeadLetterService deadLetters = platform.deadLetters();
    this.trigger =
        platform.pubSubTrigger(
            "dead-letters",
            message -> {
              DeadLetter recorded =
                  deadLetters.record(
                      message.messageId(),
                      message.attributes(),
                      message.data(),
                      message.publishedAt());
              // A warning: something could not be delivered five times and needs a person.
              return Outcome.warn(
                  "dead letter "
                      + recorded.id()
                      + " from "
                      + recorded.sourceSubscription()
                      + " (topic "
                      + recorded.topic().orElse("unknown")
                      + ") after "
                      + recorded.attempts()
                      + " attempts");
            });
  }

  @Override
  public void accept(CloudEvent event) {
    trigger.accept(event);
  }
}
