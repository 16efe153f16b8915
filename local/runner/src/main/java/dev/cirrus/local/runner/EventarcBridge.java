package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.local.emulators.PubSubAdmin.Pulled;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does locally what Eventarc does in production: delivers each Pub/Sub message to the function as a
 * binary-mode CloudEvent of type {@code google.cloud.pubsub.topic.v1.messagePublished}; a 2xx
 * answer acknowledges it, anything else hands it back to be redelivered after an exponential
 * backoff, and Pub/Sub dead-letters it after the subscription's maximum attempts.
 *
 * <p>The emulator's push delivers at most two messages at a time per subscription, where Eventarc
 * scales out; a burst would queue behind two. So the bridge pulls instead, keeping up to {@code
 * inFlight} messages per subscription in delivery at once (16 by default).
 */
public final class EventarcBridge implements AutoCloseable {
  static final String MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

  /** Deliveries per subscription at once, unless told otherwise. */
  public static final int DEFAULT_IN_FLIGHT = 16;

  /** As long as the longest function timeout in infra/ allows a delivery to take. */
  static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(540);

  private final String projectId;
  private final PubSubAdmin pubsub;
  private final int inFlight;
  private final LocalStack.Retry retry;
  private final Instances instances;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final ExecutorService threads = Executors.newCachedThreadPool(EventarcBridge::daemon);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, Deliveries> deliveries = new ConcurrentHashMap<>();

  /**
   * What a subscription has done since the stack started, for {@code local/status}.
   *
   * @param acked messages its function took (2xx)
   * @param retried deliveries it refused, handed out again after the backoff
   * @param inFlight messages out with the function now
   * @param oldestInFlight how long the oldest of those has waited since it was published
   */
  public record SubscriptionStatus(
      String topic, long acked, long retried, int inFlight, Duration oldestInFlight) {}

  /** A subscription's counters: messages out (by ack id, with their publish time) and settled. */
  private record Deliveries(
      String topic, AtomicLong acked, AtomicLong retried, Map<String, Instant> out) {
    Deliveries(String topic) {
      this(topic, new AtomicLong(), new AtomicLong(), new ConcurrentHashMap<>());
    }
  }

  /**
   * @param retry messages in delivery at once per subscription, and the redelivery backoff
   */
  public EventarcBridge(String projectId, String pubsubHost, LocalStack.Retry retry) {
    this(projectId, pubsubHost, retry, Instances.UNSUPERVISED);
  }

  /**
   * @param instances the functions' instances: a delivery that finds none up is held, as Cloud
   *     Run's front end holds Eventarc's request, until a replacement serves or the pending window
   *     ends (then it is refused and redelivered)
   */
  EventarcBridge(String projectId, String pubsubHost, LocalStack.Retry retry, Instances instances) {
    if (retry.inFlight() < 1) {
      throw new IllegalArgumentException("at least one message in flight");
    }
    this.projectId = projectId;
    this.pubsub = new PubSubAdmin(pubsubHost, projectId);
    this.inFlight = retry.inFlight();
    this.retry = retry;
    this.instances = instances;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "eventarc-bridge");
    t.setDaemon(true);
    return t;
  }

  /** How long a subscription's messages may stay out before they are handed out again. */
  static Duration ackDeadline() {
    return DELIVERY_TIMEOUT.plusSeconds(30);
  }

  /** Starts delivering what {@code subscription} (on {@code topic}) receives to {@code target}. */
  public void deliver(String subscription, String topic, URI target) {
    deliveries.put(subscription, new Deliveries(topic));
    Semaphore slots = new Semaphore(inFlight);
    threads.execute(() -> pullLoop(subscription, topic, target, slots));
  }

  private void pullLoop(String subscription, String topic, URI target, Semaphore slots) {
    while (running.get()) {
      int asked;
      try {
        slots.acquire();
        asked = 1 + slots.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
      List<Pulled> pulled;
      try {
        pulled = pubsub.pullWaiting(subscription, asked);
      } catch (RuntimeException e) {
        slots.release(asked);
        if (running.get()) {
          pause(Duration.ofMillis(500)); // the emulator is starting or stopping
        }
        continue;
      }
      slots.release(asked - pulled.size());
      Deliveries counts = deliveries.get(subscription);
      for (Pulled message : pulled) {
        counts.out().put(message.ackId(), publishTime(message));
        threads.execute(
            () -> {
              try {
                settle(subscription, message, send(target, subscription, topic, message));
              } finally {
                slots.release();
              }
            });
      }
    }
  }

  private void settle(String subscription, Pulled message, int status) {
    Deliveries counts = deliveries.get(subscription);
    counts.out().remove(message.ackId());
    (status >= 200 && status < 300 ? counts.acked() : counts.retried()).incrementAndGet();
    try {
      if (status >= 200 && status < 300) {
        pubsub.acknowledge(subscription, message.ackId());
      } else {
        pubsub.redeliverAfter(subscription, message.ackId(), backoff(message.deliveryAttempt()));
      }
    } catch (RuntimeException e) {
      // The deadline runs out and Pub/Sub hands the message out again, as after a lost ack.
    }
  }

  /** Every subscription this bridge delivers, by name. */
  public Map<String, SubscriptionStatus> status() {
    Instant now = Instant.now();
    Map<String, SubscriptionStatus> status = new TreeMap<>();
    deliveries.forEach(
        (name, d) -> {
          Duration oldest =
              d.out().values().stream()
                  .min(Instant::compareTo)
                  .map(t -> Duration.between(t, now))
                  .orElse(Duration.ZERO);
          status.put(
              name,
              new SubscriptionStatus(
                  d.topic(), d.acked().get(), d.retried().get(), d.out().size(), oldest));
        });
    return status;
  }

  private static Instant publishTime(Pulled message) {
    try {
      return Instant.parse(message.publishTime());
    } catch (RuntimeException e) {
      return Instant.now(); // an emulator that sends none: counted from now
    }
  }

  /** Pub/Sub's retry policy: the minimum, doubled per attempt, at most the maximum. */
  Duration backoff(int attempt) {
    Duration delay = retry.minBackoff();
    for (int i = 1; i < attempt && delay.compareTo(retry.maxBackoff()) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : delay;
  }

  /** The CloudEvent Eventarc posts: the push envelope as data, the message's id and time. */
  private int send(URI target, String subscription, String topic, Pulled message) {
    try {
      ObjectNode body = json.createObjectNode();
      ObjectNode inner = body.putObject("message");
      inner.put("data", message.data());
      if (!message.attributes().isEmpty()) {
        inner.set("attributes", json.valueToTree(message.attributes()));
      }
      inner.put("messageId", message.messageId());
      inner.put("publishTime", message.publishTime());
      body.put("deliveryAttempt", message.deliveryAttempt());
      body.put("subscription", "projects/" + projectId + "/subscriptions/" + subscription);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(target)
              .timeout(DELIVERY_TIMEOUT)
              .header("Content-Type", "application/json")
              .header("ce-specversion", "1.0")
              .header("ce-id", message.messageId())
              .header("ce-type", MESSAGE_PUBLISHED)
              .header(
                  "ce-source", "//pubsub.googleapis.com/projects/" + projectId + "/topics/" + topic)
              .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      if (!message.publishTime().isEmpty()) {
        request.header("ce-time", message.publishTime());
      }
      String traceparent = message.attributes().get("traceparent");
      if (traceparent != null) {
        request.header("traceparent", traceparent);
      }
      HttpRequest built = request.build();
      PendingRequest pending = new PendingRequest(instances);
      for (; ; ) {
        try {
          return http.send(built, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
          if (pending.after(e) != PendingRequest.Next.SEND_AGAIN) {
            throw e;
          }
        }
      }
    } catch (IOException e) {
      return 503; // the function is down or restarting: redeliver, as Eventarc would
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 503;
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The subscription that delivers {@code topic} to {@code function}. */
  static String subscriptionName(String function, String topic) {
    return function + "-" + topic;
  }

  @Override
  public void close() {
    running.set(false);
    threads.shutdownNow();
  }
}
