package dev.cirrus.functions.deadletters;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.deadletters.DeadLetter;
import dev.cirrus.shared.deadletters.DeadLetterService;
import dev.cirrus.shared.events.PubSubEnvelope;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Pub/Sub-triggered function on {@code dead-letters}: records each message Pub/Sub gave up on in
 * {@code deadLetters/{id}}, where admins list and re-drive them ({@code admin} function).
 */
public final class DeadLettersFunction implements CloudEventsFunction {
  private final DeadLetterService deadLetters;
  private final JsonCodec json;
  private final StructuredLogger log;
  private final Clock clock;

  /** Used by the Functions Framework: production wiring from the environment. */
  public DeadLettersFunction() {
    this(Platform.fromEnvironment("dead-letters"));
  }

  private DeadLettersFunction(Platform platform) {
    this(service(platform), platform.json(), platform.log(), platform.clock());
  }

  /** Built from the service and what it logs with, so a test needs no Google client. */
  DeadLettersFunction(
      DeadLetterService deadLetters, JsonCodec json, StructuredLogger log, Clock clock) {
    this.deadLetters = deadLetters;
    this.json = json;
    this.log = log;
    this.clock = clock;
  }

  /** The composition root: Firestore, and Pub/Sub to learn a subscription's topic. */
  static DeadLetterService service(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE));
    return platform.deadLetters();
  }

  @Override
  public void accept(CloudEvent event) {
    StructuredLogger.Context context =
        new StructuredLogger.Context(event.getId(), Optional.empty());
    Optional<PubSubEnvelope> envelope =
        PubSubEnvelope.decode(
            json.mapper(), event.getData() == null ? new byte[0] : event.getData().toBytes());
    if (envelope.isEmpty()) {
      log.warn(context, "dropping a message that is not a Pub/Sub push envelope");
      return;
    }
    Instant at = event.getTime() == null ? clock.instant() : event.getTime().toInstant();
    DeadLetter recorded =
        deadLetters.record(
            envelope.get().messageId(), envelope.get().attributes(), envelope.get().data(), at);
    // A warning: something could not be delivered five times and needs a person.
    log.warn(
        new StructuredLogger.Context(event.getId(), envelope.get().trace()),
        "dead letter "
            + recorded.id()
            + " from "
            + recorded.sourceSubscription()
            + " (topic "
            + recorded.topic().orElse("unknown")
            + ") after "
            + recorded.attempts()
            + " attempts");
  }
}
