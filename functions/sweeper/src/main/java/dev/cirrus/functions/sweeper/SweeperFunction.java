package dev.cirrus.functions.sweeper;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.maintenance.Sweeper;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.platform.PubSubTrigger;
import dev.cirrus.shared.platform.PubSubTrigger.Outcome;
import io.cloudevents.CloudEvent;
import java.security.SecureRandom;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Pub/Sub-triggered function on {@code maintenance-tick}, which Cloud Scheduler publishes every
 * five minutes: one bounded {@link Sweeper} run per tick. A failed run is retried; every step of it
 * is safe to repeat.
 */
public final class SweeperFunction implements CloudEventsFunction {
  private static final String ID_CHARACTERS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final PubSubTrigger trigger;

  /** Used by the Functions Framework: production wiring from the environment. */
  public SweeperFunction() {
    this(Platform.fromEnvironment("sweeper"));
  }

  private SweeperFunction(Platform platform) {
    Sweeper sweeper = sweeper(platform);
    this.trigger =
        platform.pubSubTrigger("maintenance-tick", message -> Outcome.done(sweeper.sweep()));
  }

  /** The composition root: Firestore, Cloud Storage and Pub/Sub adapters. */
  private static Sweeper sweeper(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.STORAGE));
    return new Sweeper(
        new Sweeper.Ports(
            platform.adapters().uploads(),
            platform.adapters().files(),
            platform.adapters().users(),
            platform.userCache(),
            platform.adapters().claims(),
            platform.adapters().objectStorage(),
            platform.adapters().eventBus(),
            platform.messages(),
            platform.accountDeletions(),
            platform.accountExports(),
            platform.adapters().identity(),
            platform.clock()),
        Sweeper.Settings.defaults(platform.config().filesBucket()),
        randomUidPrefix());
  }

  /** Two characters of a Firebase uid's alphabet: where this run's quota check starts. */
  private static Supplier<String> randomUidPrefix() {
    SecureRandom random = new SecureRandom();
    return () ->
        ""
            + ID_CHARACTERS.charAt(random.nextInt(ID_CHARACTERS.length()))
            + ID_CHARACTERS.charAt(random.nextInt(ID_CHARACTERS.length()));
  }

  @Override
  public void accept(CloudEvent event) {
    trigger.accept(event);
  }
}
