package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.PubSubAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Does locally what the Cloud Scheduler job of {@code infra/scheduler.tf} does: publishes {@code
 * {}} to {@code maintenance-tick} every five minutes, so the sweeper runs as deployed.
 */
final class MaintenanceTicker implements AutoCloseable {
  static final Duration EVERY = Duration.ofMinutes(5);

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "maintenance-tick");
            t.setDaemon(true);
            return t;
          });
  private final PubSubAdmin pubsub;

  MaintenanceTicker(String pubsubHost, String projectId) {
    this.pubsub = new PubSubAdmin(pubsubHost, projectId);
    timer.scheduleAtFixedRate(this::tick, EVERY.toSeconds(), EVERY.toSeconds(), TimeUnit.SECONDS);
  }

  private void tick() {
    try {
      pubsub.publish(
          FunctionCatalog.MAINTENANCE_TICK_TOPIC, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      // The emulator is stopping, or busy: the next tick comes in five minutes, as a missed
      // Cloud Scheduler run would.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    pubsub.close();
  }
}
