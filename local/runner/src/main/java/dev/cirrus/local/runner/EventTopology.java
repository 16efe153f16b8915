package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.PubSubAdmin;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The topics and subscriptions of infra/pubsub.tf on the Pub/Sub emulator, each subscription
 * delivered to its function by the bridge as Eventarc would.
 */
final class EventTopology {
  private EventTopology() {}

  static void create(
      String pubsubHost,
      String projectId,
      List<FunctionSpec> functions,
      Map<String, URI> functionUrls,
      EventarcBridge bridge,
      LocalStack.Retry retry,
      StartProgress.Progress report,
      long t0) {
    ExecutorService pool = Executors.newCachedThreadPool();
    try (PubSubAdmin admin = new PubSubAdmin(pubsubHost, projectId)) {
      // In parallel (on threads of our own: the common pool has one thread on two cores): while the
      // Auth emulator starts, the Pub/Sub emulator answers its first
      // requests slowly, and this step would otherwise end last.
      Set<String> topics = new LinkedHashSet<>(FunctionCatalog.TOPICS);
      functions.forEach(fn -> topics.addAll(fn.topics()));
      CompletableFuture.allOf(
              topics.stream()
                  .map(topic -> CompletableFuture.runAsync(() -> admin.createTopic(topic), pool))
                  .toArray(CompletableFuture[]::new))
          .join();
      List<CompletableFuture<Void>> subscriptions = new ArrayList<>();
      for (FunctionSpec fn : functions) {
        for (String topic : fn.topics()) {
          String subscription = EventarcBridge.subscriptionName(fn.name(), topic);
          subscriptions.add(
              CompletableFuture.runAsync(
                  () -> {
                    admin.createDeliverySubscription(
                        subscription,
                        topic,
                        // Dead letters are retried, never dead-lettered again (a loop).
                        topic.equals(FunctionCatalog.DEAD_LETTER_TOPIC)
                            ? null
                            : FunctionCatalog.DEAD_LETTER_TOPIC,
                        FunctionCatalog.MAX_DELIVERY_ATTEMPTS,
                        retry.minBackoff(),
                        retry.maxBackoff(),
                        EventarcBridge.ackDeadline());
                    bridge.deliver(subscription, topic, functionUrls.get(fn.name()));
                  },
                  pool));
        }
      }
      CompletableFuture.allOf(subscriptions.toArray(CompletableFuture[]::new)).join();
      report.line(
          "topics",
          FunctionCatalog.TOPICS.size() + " topics, " + retry.inFlight() + " in flight each",
          Duration.ofNanos(System.nanoTime() - t0));
    } finally {
      pool.shutdown();
    }
  }
}
