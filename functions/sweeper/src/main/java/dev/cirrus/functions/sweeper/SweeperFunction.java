package dev.cirrus.functions.sweeper;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.adapter.firestore.FirestoreEventClaims;
import dev.cirrus.shared.adapter.firestore.FirestoreFileStore;
import dev.cirrus.shared.adapter.firestore.FirestoreUploadStore;
import dev.cirrus.shared.adapter.firestore.FirestoreUserStore;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.maintenance.Sweeper;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import io.cloudevents.CloudEvent;
import java.security.SecureRandom;
import java.util.Optional;
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

  private final Sweeper sweeper;
  private final StructuredLogger log;

  /** Used by the Functions Framework: production wiring from the environment. */
  public SweeperFunction() {
    this(Platform.fromEnvironment("sweeper"));
  }

  private SweeperFunction(Platform platform) {
    this(sweeper(platform), platform.log());
  }

  SweeperFunction(Sweeper sweeper, StructuredLogger log) {
    this.sweeper = sweeper;
    this.log = log;
  }

  /** The composition root: Firestore, Cloud Storage and Pub/Sub adapters. */
  private static Sweeper sweeper(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.STORAGE));
    FirestoreUploadStore uploads = new FirestoreUploadStore(platform.clients().firestore());
    return new Sweeper(
        new Sweeper.Ports(
            uploads,
            new FirestoreFileStore(platform.clients().firestore()),
            new FirestoreUserStore(platform.clients().firestore()),
            new FirestoreEventClaims(platform.clients().firestore()),
            platform.objectStorage(),
            platform.eventBus(),
            platform.json(),
            platform.clock()),
        Sweeper.Settings.DEFAULT,
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
    Sweeper.Report report = sweeper.sweep();
    log.info(new StructuredLogger.Context(event.getId(), Optional.empty()), "sweep: " + report);
  }
}
