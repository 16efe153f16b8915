package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.PubSubAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Does locally what a Cloud Scheduler job of {@code infra/scheduler.tf} does: publishes a fixed
 * body to a topic at a fixed rate: {@code {}} to {@code maintenance-tick} every five minutes, so
 * the sweeper runs as deployed, and {@code {"due": true}} to {@code webhook-deliveries} every
 * minute, so webhook retries are sent when due.
 */
final class MaintenanceTicker implements AutoCloseable {
  static final Duration EVERY = Duration.ofMinutes(5);
  static final Duration WEBHOOK_EVERY = Duration.ofMinutes(1);

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "maintenance-tick");
            t.setDaemon(true);
            return t;
          });
  private final PubSubAdmin pubsub;

  /**
   * @param webhookEvery how often webhook retries are looked for: a minute, as deployed, unless a
   *     test stack asks for less
   */
  MaintenanceTicker(String pubsubHost, String projectId, Duration webhookEvery) {
    this.pubsub = new PubSubAdmin(pubsubHost, projectId);
    timer.scheduleAtFixedRate(
        () -> tick(FunctionCatalog.MAINTENANCE_TICK_TOPIC, "{}"),
        EVERY.toMillis(),
        EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    timer.scheduleAtFixedRate(
        () -> tick(FunctionCatalog.WEBHOOK_DELIVERIES_TOPIC, "{\"due\":true}"),
        webhookEvery.toMillis(),
        webhookEvery.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void tick(String topic, String body) {
    try {
      pubsub.publish(topic, Map.of(), body.getBytes(StandardCharsets.UTF_8));
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
